using Microsoft.Extensions.Logging;
using Scheduler.Grains.Persistence;
using Scheduler.Users;

namespace Scheduler.Grains.Users;

/// <summary>
/// A user grain's sessions, kept in their own state beside the profile: the lockout and the refresh-token families
/// as views over it, and the session operations that write it. The grain decides when; this writes what.
/// </summary>
internal sealed class UserSessions(IGrainBase grain, IPersistentState<SessionState> sessions, TimeProvider time, ILogger logger)
{
    // Views over the state as last read (a read replaces the state object, so none is kept).
    public SignInLockout Lockout => new(sessions.State);

    public RefreshTokenFamilies Families => new(sessions.State, time);

    public Task Write() => StateWrites.Write(grain, sessions);

    /// <summary>A new session of <paramref name="user"/>: its first refresh token, and the stamp its access tokens carry.</summary>
    public async Task<Session> Open(UserInfo user)
    {
        var (token, stamp) = Families.Open(user.Id);
        await Write();
        return new Session(user, token, stamp);
    }

    /// <summary>Spends <paramref name="refreshToken"/> for the next one; a token spent twice revokes its family.</summary>
    public async Task<Session?> Refresh(UserInfo user, string refreshToken)
    {
        switch (Families.Redeem(user.Id, refreshToken, out var next))
        {
            case RefreshOutcome.Redeemed:
                await Write();
                return new Session(user, next!, Families.Stamp!);
            case RefreshOutcome.Reused:
                logger.LogWarning("Refresh token reuse for user {UserId}: family revoked", user.Id);
                await Write();
                return null;
            default:
                return null;
        }
    }

    public async Task SignOut(string userId, string refreshToken)
    {
        if (Families.Revoke(userId, refreshToken))
        {
            await Write();
        }
    }

    public async Task RevokeAll()
    {
        Families.RevokeAll();
        await Write();
    }
}
