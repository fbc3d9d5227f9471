namespace Scheduler.Grains.Users;

/// <summary>Sign-in bookkeeping, a state of its own so that it never rewrites the profile or its read-model row.</summary>
[GenerateSerializer]
public sealed class SessionState
{
    [Id(0)]
    public List<DateTimeOffset> FailedSignIns { get; set; } = [];

    [Id(1)]
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>By token hash.</summary>
    [Id(2)]
    public Dictionary<string, RefreshTokenRecord> RefreshTokens { get; set; } = [];

    /// <summary>What the user's current access tokens carry (<see cref="Scheduler.Users.IUserGrain.GetSessionStamp"/>).</summary>
    [Id(3)]
    public string? Stamp { get; set; }
}
