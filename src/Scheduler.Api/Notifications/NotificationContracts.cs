using Microsoft.AspNetCore.Mvc;
using Scheduler.Notifications;

namespace Scheduler.Api.Notifications;

/// <summary>One email notification and where its delivery stands.</summary>
/// <param name="Status">queued, sent, failed (retried later), dead (given up on) or skipped (email off, or too late).</param>
public sealed record NotificationResponse(
    string Id,
    string EventId,
    string Kind,
    string RecipientRole,
    string Recipient,
    long Sequence,
    string Status,
    int Attempts,
    DateTime DueAt,
    DateTime NextAttemptAt,
    string? LastError,
    string MessageId,
    DateTime CreatedAt,
    DateTime? SentAt)
{
    public static NotificationResponse From(Notification n) => new(
        n.Id, n.EventId, n.Kind, n.RecipientRole, n.Recipient, n.Sequence, n.Status, n.Attempts, n.DueAt.UtcDateTime, n.NextAttemptAt.UtcDateTime,
        n.LastError, n.MessageId, n.CreatedAt.UtcDateTime, n.SentAt?.UtcDateTime);
}

/// <summary>The query of <c>GET /api/notifications</c>: every member is optional.</summary>
/// <param name="Status">One of <see cref="NotificationStatuses.All"/>.</param>
/// <param name="EventId">The interview the messages are about.</param>
/// <param name="Recipient">An email address (case-insensitive).</param>
public sealed record NotificationListQuery(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "eventId")] string? EventId,
    [FromQuery(Name = "recipient")] string? Recipient,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "offset")] int? Offset);
