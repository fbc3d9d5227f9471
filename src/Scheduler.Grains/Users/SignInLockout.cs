namespace Scheduler.Grains.Users;

/// <summary>A lock that a failed attempt started: of one client address, or (<paramref name="Source"/> null) of the account.</summary>
public sealed record LockStarted(string? Source, DateTimeOffset Until);

/// <summary>
/// A user's failed password attempts and the locks they lead to, kept in its <see cref="SessionState"/>. Failures count
/// per client address: five within fifteen minutes lock that address out of the account for fifteen minutes, so that a
/// stranger guessing does not lock out the owner. Across all addresses, a hundred failures within fifteen minutes lock
/// the account itself for fifteen minutes (a guess spread over many addresses). Plain logic; the grain stores the state.
/// </summary>
public sealed class SignInLockout(SessionState state)
{
    public const int MaxFailures = 5;
    public const int MaxAccountFailures = 100;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    /// <summary>Addresses remembered at most (each with at most <see cref="MaxFailures"/> failures): the oldest go first.</summary>
    public const int MaxSources = 2 * MaxAccountFailures;

    /// <summary>Whether an attempt from <paramref name="source"/> is refused at <paramref name="now"/>: that address or the account is locked.</summary>
    public bool IsLocked(string source, DateTimeOffset now) =>
        state.LockedUntil > now || (state.FailuresBySource.TryGetValue(source, out var failures) && failures.LockedUntil > now);

    /// <summary>When the last lock in force at <paramref name="now"/> ends (the account's or any address's), if one is.</summary>
    public DateTimeOffset? LockedUntil(DateTimeOffset now)
    {
        var until = state.LockedUntil > now ? state.LockedUntil : null;
        foreach (var failures in state.FailuresBySource.Values)
        {
            if (failures.LockedUntil > now && !(until >= failures.LockedUntil))
            {
                until = failures.LockedUntil;
            }
        }
        return until;
    }

    /// <summary>Counts a failed attempt from <paramref name="source"/>; returns the lock it started, if it started one.</summary>
    public LockStarted? CountFailure(string source, DateTimeOffset now)
    {
        Forget(now);
        LockStarted? started = null;
        var failures = state.FailuresBySource.TryGetValue(source, out var known) ? known : new SourceFailures(0, now, null);
        failures = failures with { Count = failures.Count + 1 };
        if (failures.Count >= MaxFailures)
        {
            failures = new SourceFailures(0, now, now + LockoutTime);
            started = new LockStarted(source, now + LockoutTime);
        }
        state.FailuresBySource[source] = failures;
        if (state.FailuresBySource.Count > MaxSources)
        {
            state.FailuresBySource.Remove(state.FailuresBySource.MinBy(f => f.Value.Since).Key);
        }

        state.FailedSignIns.Add(now);
        if (state.FailedSignIns.Count >= MaxAccountFailures)
        {
            state.LockedUntil = now + LockoutTime;
            state.FailedSignIns.Clear();
            started = new LockStarted(null, now + LockoutTime);
        }
        return started;
    }

    /// <summary>The right password from <paramref name="source"/>: that address's failures are forgotten (not others').</summary>
    public void Succeeded(string source, DateTimeOffset now)
    {
        state.FailuresBySource.Remove(source);
        Forget(now);
    }

    /// <summary>Forgets every failure and lifts every lock (an admin's unlock or password reset).</summary>
    public void Clear()
    {
        state.FailedSignIns.Clear();
        state.LockedUntil = null;
        state.FailuresBySource.Clear();
    }

    // Failures outside the window and locks that ended are dropped: the state holds what can still lock.
    private void Forget(DateTimeOffset now)
    {
        state.FailedSignIns.RemoveAll(t => t <= now - FailureWindow);
        if (state.LockedUntil <= now)
        {
            state.LockedUntil = null;
        }
        foreach (var (source, failures) in state.FailuresBySource)
        {
            if (failures.LockedUntil is { } until ? until <= now : failures.Since <= now - FailureWindow)
            {
                state.FailuresBySource.Remove(source);
            }
        }
    }
}
