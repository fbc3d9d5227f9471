using Scheduler.Audit;

namespace Scheduler.Webhooks;

/// <summary>The types a subscription can receive: one per (entity type, action) of the domain events.</summary>
public static class WebhookEventTypes
{
    public const string Ping = "webhook.ping";

    public static readonly IReadOnlyList<string> All =
    [
        "interview.scheduled", "interview.rescheduled", "interview.updated", "interview.cancelled", "interview.completed", "interview.deleted",
        "interviewer.created", "interviewer.updated", "interviewer.deleted",
    ];

    /// <summary>The webhook type of a domain event, or null when no subscription can receive it.</summary>
    public static string? Of(string entityType, string action)
    {
        var prefix = entityType switch
        {
            AuditEntityTypes.Event => "interview.",
            AuditEntityTypes.Interviewer => "interviewer.",
            _ => null,
        };
        if (prefix is null)
        {
            return null;
        }
        var type = prefix + action;
        return All.Contains(type, StringComparer.Ordinal) ? type : null;
    }
}

public static class WebhookDeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Dead = "dead";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed, Dead];
}
