namespace Scheduler.Grains.Users;

/// <summary>
/// A user's failed password attempts and the lockout they lead to, kept in its <see cref="SessionState"/>: five
/// failures within fifteen minutes lock the account for fifteen minutes. Plain logic; the grain stores the state.
/// </summary>
public sealed class SignInLockout(SessionState state)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    public bool IsLocked(DateTimeOffset now) => state.LockedUntil > now;

    /// <summary>When the lock ends, if the account is locked at <paramref name="now"/>.</summary>
    public DateTimeOffset? LockedUntil(DateTimeOffset now) => state.LockedUntil is { } until && until > now ? until : null;

    /// <summary>Counts a failed attempt; returns when the lock ends if this failure locked the account.</summary>
    public DateTimeOffset? CountFailure(DateTimeOffset now)
    {
        state.FailedSignIns.RemoveAll(t => t <= now - FailureWindow);
        state.FailedSignIns.Add(now);
        if (state.FailedSignIns.Count < MaxFailures)
        {
            return null;
        }
        state.LockedUntil = now + LockoutTime;
        state.FailedSignIns.Clear();
        return state.LockedUntil;
    }

    /// <summary>Forgets the failures and lifts any lock (a good password, a reset).</summary>
    public void Clear()
    {
        state.FailedSignIns.Clear();
        state.LockedUntil = null;
    }
}
