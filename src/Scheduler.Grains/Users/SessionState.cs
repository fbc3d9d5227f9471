namespace Scheduler.Grains.Users;

/// <summary>
/// Sign-in bookkeeping, a state of its own so that it never rewrites the profile or its read-model row. Every part is
/// bounded (<see cref="SignInLockout"/>, <see cref="RefreshTokenFamilies"/>, <see cref="IdTokenExchanges"/>): it is
/// rewritten on every sign-in, refresh and failed attempt.
/// </summary>
[GenerateSerializer]
public sealed class SessionState
{
    /// <summary>Failed attempts from any address within the account-wide window.</summary>
    [Id(0)]
    public List<DateTimeOffset> FailedSignIns { get; set; } = [];

    /// <summary>The account-wide lock (every address).</summary>
    [Id(1)]
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>What the user's current access tokens carry (<see cref="Scheduler.Users.IUserGrain.GetSessionLease"/>).</summary>
    [Id(3)]
    public string? Stamp { get; set; }

    /// <summary>Live sessions by family id.</summary>
    [Id(4)]
    public Dictionary<string, RefreshFamily> Families { get; set; } = [];

    /// <summary>Failed attempts and locks by client address.</summary>
    [Id(5)]
    public Dictionary<string, SourceFailures> FailuresBySource { get; set; } = [];

    /// <summary>Hashes of the identity-provider tokens exchanged for a session, each until it expires.</summary>
    [Id(6)]
    public Dictionary<string, DateTimeOffset> ExchangedIdTokens { get; set; } = [];
}
