using Scheduler.Common;

namespace Scheduler.Notifications;

public static class NotificationStatuses
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Dead = "dead";
    public const string Skipped = "skipped";

    public static readonly IReadOnlyList<string> All = [Queued, Sent, Failed, Dead, Skipped];
}

public static class NotificationKinds
{
    public const string Invitation = "invitation";
    public const string Update = "update";
    public const string Cancellation = "cancellation";
    public const string Reminder = "reminder";

    public static readonly IReadOnlyList<string> All = [Invitation, Update, Cancellation, Reminder];
}

/// <summary>One email, to one recipient, about one interview.</summary>
[GenerateSerializer, Immutable]
public sealed record Notification(
    string Id,
    string EventId,
    string Kind,
    string RecipientRole,
    string Recipient,
    long Sequence,
    string Status,
    int Attempts,
    DateTimeOffset DueAt,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    string MessageId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt);

[GenerateSerializer, Immutable]
public sealed record NotificationQuery(string? Status, string? EventId, string? Recipient, int Limit, int Offset);

/// <summary>The email notifications, for admins: what was queued, sent, failed or given up on, and a retry.</summary>
public interface INotificationsGrain : IGrainWithIntegerKey
{
    Task<Page<Notification>> List(NotificationQuery query);

    /// <summary>Queues a failed or dead notification again, now; 404 when there is none, 409 when it is not failed or dead.</summary>
    Task<Notification> Retry(string id);
}
