namespace Scheduler.Grains.Users;

/// <summary>
/// The identity-provider ID tokens a user's sessions were opened with, kept in its <see cref="SessionState"/> by SHA-256
/// until each expires: a token is exchanged once, so a copy of it (from a log, a proxy, a browser's history) opens
/// nothing. Only tokens that have not expired are kept. Plain logic; the grain stores the state.
/// </summary>
public sealed class IdTokenExchanges(SessionState state)
{
    /// <summary>Records the token <paramref name="hash"/> until <paramref name="expires"/>; false if it was exchanged before.</summary>
    public bool TryRecord(string hash, DateTimeOffset expires, DateTimeOffset now)
    {
        foreach (var (known, until) in state.ExchangedIdTokens)
        {
            if (until <= now)
            {
                state.ExchangedIdTokens.Remove(known);
            }
        }
        return state.ExchangedIdTokens.TryAdd(hash, expires);
    }
}
