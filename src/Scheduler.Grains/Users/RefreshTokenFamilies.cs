using System.Security.Cryptography;
using System.Text;

namespace Scheduler.Grains.Users;

/// <summary>What a refresh token presented to <see cref="RefreshTokenFamilies.Redeem"/> turned out to be.</summary>
public enum RefreshOutcome
{
    /// <summary>Not a token of a live session of this user.</summary>
    Unknown,

    /// <summary>Valid and now spent: the session goes on with the next token of its family.</summary>
    Redeemed,

    /// <summary>Past its lifetime.</summary>
    Expired,

    /// <summary>Spent before: someone holds a copy. Its session was revoked and the session stamp changed.</summary>
    Reused,
}

/// <summary>
/// A user's sessions, kept in its <see cref="SessionState"/>, and the session stamp that its access tokens carry. A
/// session is a family of refresh tokens, <c>{userId}.{familyId}.{secret}</c>, rotated on every refresh: only the
/// SHA-256 of the current one is stored. A token of a live family that is not its current one was spent before, so it
/// revokes the family and changes the stamp; a spent token is known by its family, and no list of them is kept. At most
/// <see cref="MaxSessions"/> sessions live at once (a new sign-in revokes the oldest), so the state stays small however
/// often the user signs in. Plain logic; the grain stores the state.
/// </summary>
public sealed class RefreshTokenFamilies(SessionState state, TimeProvider time)
{
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(14);

    /// <summary>Live sessions per user (devices and browsers signed in at once).</summary>
    public const int MaxSessions = 10;

    /// <summary>What the user's current access tokens carry.</summary>
    public string? Stamp => state.Stamp;

    /// <summary>Live sessions (some may have expired since the last sign-in).</summary>
    public int Count => state.Families.Count;

    /// <summary>Opens a session: a new family and its first refresh token, returned with the stamp.</summary>
    public (string RefreshToken, string Stamp) Open(string userId)
    {
        var now = time.GetUtcNow();
        foreach (var (id, family) in state.Families)
        {
            if (family.ExpiresAt <= now)
            {
                state.Families.Remove(id);
            }
        }
        while (state.Families.Count >= MaxSessions)
        {
            state.Families.Remove(state.Families.MinBy(f => f.Value.OpenedAt).Key);
        }
        var token = Issue(userId, Guid.NewGuid().ToString("N"), now, now);
        return (token, state.Stamp ??= NewStamp());
    }

    /// <summary>Spends <paramref name="refreshToken"/>; when redeemed, <paramref name="next"/> is its family's next token.</summary>
    public RefreshOutcome Redeem(string userId, string refreshToken, out string? next)
    {
        next = null;
        if (FamilyOf(userId, refreshToken) is not { } familyId || !state.Families.TryGetValue(familyId, out var family))
        {
            return RefreshOutcome.Unknown;
        }
        if (!string.Equals(family.TokenHash, Hash(refreshToken), StringComparison.Ordinal))
        {
            // Every access token ends too: it cannot tell its family, so other devices refresh once.
            state.Families.Remove(familyId);
            state.Stamp = NewStamp();
            return RefreshOutcome.Reused;
        }
        var now = time.GetUtcNow();
        if (family.ExpiresAt <= now)
        {
            state.Families.Remove(familyId);
            return RefreshOutcome.Expired;
        }
        next = Issue(userId, familyId, family.OpenedAt, now);
        return RefreshOutcome.Redeemed;
    }

    /// <summary>Ends the session of <paramref name="refreshToken"/> (signing out); false if it is not a live session's current token.</summary>
    public bool Revoke(string userId, string refreshToken) =>
        FamilyOf(userId, refreshToken) is { } familyId && state.Families.TryGetValue(familyId, out var family)
        && string.Equals(family.TokenHash, Hash(refreshToken), StringComparison.Ordinal)
        && state.Families.Remove(familyId);

    /// <summary>Ends every session: all refresh tokens revoked, and a new stamp ends every access token.</summary>
    public void RevokeAll()
    {
        ChangeStamp();
        state.Families.Clear();
    }

    /// <summary>Ends the access tokens only (roles changed): refresh tokens stay and issue tokens with the new claims.</summary>
    public void ChangeStamp() => state.Stamp = NewStamp();

    private string Issue(string userId, string familyId, DateTimeOffset openedAt, DateTimeOffset now)
    {
        var token = $"{userId}.{familyId}.{Base64UrlEncode(RandomNumberGenerator.GetBytes(32))}";
        state.Families[familyId] = new RefreshFamily(Hash(token), openedAt, now + RefreshLifetime);
        return token;
    }

    private static string? FamilyOf(string userId, string refreshToken)
    {
        if (!refreshToken.StartsWith(userId + ".", StringComparison.Ordinal))
        {
            return null;
        }
        var rest = refreshToken.AsSpan(userId.Length + 1);
        var dot = rest.IndexOf('.');
        return dot > 0 ? rest[..dot].ToString() : null;
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
