namespace Scheduler.Audit;

public static class AuditEntityTypes
{
    public const string Interviewer = "interviewer";
    public const string Event = "event";
    public const string User = "user";
    public const string Webhook = "webhook";

    public static readonly IReadOnlyList<string> All = [Interviewer, Event, User, Webhook];
}

public static class AuditActions
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Deleted = "deleted";
    public const string Scheduled = "scheduled";
    public const string Rescheduled = "rescheduled";
    public const string Cancelled = "cancelled";
    public const string Completed = "completed";
    public const string PasswordChanged = "password_changed";
    public const string PasswordReset = "password_reset";
    public const string LockedOut = "locked_out";
    public const string Unlocked = "unlocked";
    public const string SecretRotated = "secret_rotated";
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";
    public const string CalendarFeedRotated = "calendar_feed_rotated";

    public static readonly IReadOnlyList<string> All =
        [Created, Updated, Deleted, Scheduled, Rescheduled, Cancelled, Completed, PasswordChanged, PasswordReset, LockedOut, Unlocked, SecretRotated, Enabled, Disabled, CalendarFeedRotated];
}

/// <summary>
/// One change to one entity. <paramref name="ChangesJson"/> is a JSON object mapping each changed field to
/// <c>{"from": …, "to": …}</c>. (Entity, version) identifies the entry, so replaying it is harmless.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AuditEntry(
    string Id,
    string EntityType,
    string EntityId,
    long EntityVersion,
    string Action,
    string ActorId,
    string Actor,
    DateTimeOffset Timestamp,
    string ChangesJson);

[GenerateSerializer, Immutable]
public sealed record AuditQuery(
    string? EntityType,
    string? EntityId,
    string? Actor,
    string? Action,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    int Offset);

/// <summary>Searches the audit log (read model). Use key 0.</summary>
public interface IAuditLogQueryGrain : IGrainWithIntegerKey
{
    Task<Common.Page<AuditEntry>> Search(AuditQuery query);
}
