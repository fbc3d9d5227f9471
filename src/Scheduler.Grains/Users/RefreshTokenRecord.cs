namespace Scheduler.Grains.Users;

/// <summary>A refresh token as stored: only its SHA-256 is kept, with the family it belongs to.</summary>
[GenerateSerializer, Immutable]
public sealed record RefreshTokenRecord(string FamilyId, DateTimeOffset ExpiresAt, bool Spent, bool Revoked);
