using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Webhooks;

namespace Scheduler.Api.Webhooks;

/// <summary>Body of <c>POST /api/webhooks</c>.</summary>
/// <param name="Url">Where deliveries are POSTed: http or https, a public address unless the server allows private ones.</param>
/// <param name="EventTypes">The types to receive; left out or empty: every type.</param>
public sealed record CreateWebhookRequest(
    [property: Required, StringLength(WebhooksEndpoints.MaxUrlLength)] string? Url,
    [property: MaxLength(32)] string[]? EventTypes,
    [property: StringLength(500)] string? Description);

/// <summary>A webhook subscription: never its secret.</summary>
/// <param name="EventTypes">The types it receives; empty: every type.</param>
/// <param name="FailingSince">The first failed attempt since the last delivered one (24 h of failures disable it).</param>
public sealed record WebhookResponse(
    string Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    DateTime? FailingSince,
    DateTime? DisabledAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version)
{
    public static WebhookResponse From(Webhook w) => new(
        w.Id, w.Url, w.EventTypes, w.Description, w.Enabled, w.FailingSince?.UtcDateTime, w.DisabledAt?.UtcDateTime, w.CreatedAt.UtcDateTime,
        w.UpdatedAt.UtcDateTime, w.Version);
}

/// <summary>A subscription with its signing secret: shown when it is created or rotated, and never again.</summary>
/// <param name="Secret">The Standard Webhooks secret, <c>whsec_</c> + base64 of the HMAC-SHA256 key.</param>
public sealed record WebhookSecretResponse(
    string Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version,
    string Secret)
{
    public static WebhookSecretResponse From(WebhookWithSecret created)
    {
        var w = created.Webhook;
        return new(w.Id, w.Url, w.EventTypes, w.Description, w.Enabled, w.CreatedAt.UtcDateTime, w.UpdatedAt.UtcDateTime, w.Version, created.Secret);
    }
}

/// <summary>One attempt: when, the receiver's status code (null: no answer), the error, how long it took.</summary>
public sealed record WebhookAttemptResponse(int Attempt, DateTime At, int? StatusCode, string? Error, int DurationMs);

/// <summary>One message to one subscription; <c>id</c> is its <c>webhook-id</c> header, the same on every attempt.</summary>
/// <param name="Status">pending, delivered, failed (retried later) or dead (given up).</param>
/// <param name="Attempts">Every attempt, oldest first, when one delivery is read; empty in a list.</param>
public sealed record WebhookDeliveryResponse(
    string Id,
    string WebhookId,
    string EventType,
    string? EntityId,
    long? EntityVersion,
    string Status,
    int AttemptCount,
    DateTime NextAttemptAt,
    DateTime? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTime CreatedAt,
    DateTime? DeliveredAt,
    IReadOnlyList<WebhookAttemptResponse> Attempts)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) => new(
        d.Id, d.WebhookId, d.EventType, d.EntityId, d.EntityVersion, d.Status, d.AttemptCount, d.NextAttemptAt.UtcDateTime, d.LastAttemptAt?.UtcDateTime,
        d.LastStatusCode, d.LastError, d.CreatedAt.UtcDateTime, d.DeliveredAt?.UtcDateTime,
        [.. d.Attempts.Select(a => new WebhookAttemptResponse(a.Attempt, a.At.UtcDateTime, a.StatusCode, a.Error, a.DurationMs))]);
}

/// <summary>The query of <c>GET /api/webhooks</c>.</summary>
public sealed record WebhookListQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "offset")] int? Offset);

/// <summary>The query of <c>GET /api/webhooks/{id}/deliveries</c>.</summary>
/// <param name="Status">One of <see cref="WebhookDeliveryStatuses.All"/>.</param>
public sealed record WebhookDeliveryListQuery(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "offset")] int? Offset);
