namespace Scheduler.Grains.Users;

/// <summary>
/// One live session: a refresh-token family, rotated on every refresh. Only the SHA-256 of its current token is kept;
/// any other token of the family (one spent before) that comes back is a copy, and revokes the family.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RefreshFamily(string TokenHash, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt);

/// <summary>Failed password attempts from one client address, counted since <paramref name="Since"/>, and its lock.</summary>
[GenerateSerializer, Immutable]
public sealed record SourceFailures(int Count, DateTimeOffset Since, DateTimeOffset? LockedUntil);
