using Scheduler.Common;

namespace Scheduler.Webhooks;

/// <summary>A webhook subscription as admins see it: never its secret, which is shown once (<see cref="WebhookWithSecret"/>).</summary>
/// <param name="EventTypes">The types it receives (<see cref="WebhookEventTypes.All"/>); empty: every type.</param>
/// <param name="FailingSince">The first failed attempt since the last delivered one; 24 h of failures disable it.</param>
[GenerateSerializer, Immutable]
public sealed record Webhook(
    string Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    DateTimeOffset? FailingSince,
    DateTimeOffset? DisabledAt,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A subscription with its signing secret (<c>whsec_</c> + base64): what creating or rotating it answers, once.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookWithSecret(Webhook Webhook, string Secret);

[GenerateSerializer, Immutable]
public sealed record NewWebhook(string Url, IReadOnlyList<string> EventTypes, string? Description);

/// <summary>One attempt to deliver: when, the receiver's status code (null: no answer), the error, how long it took.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookAttempt(int Attempt, DateTimeOffset At, int? StatusCode, string? Error, int DurationMs);

/// <summary>One message to one subscription; <see cref="Id"/> is its <c>webhook-id</c>, the same on every attempt.</summary>
/// <param name="Attempts">Its attempts, oldest first (only when one delivery is read).</param>
[GenerateSerializer, Immutable]
public sealed record WebhookDelivery(
    string Id,
    string WebhookId,
    string EventType,
    string? EntityId,
    long? EntityVersion,
    string Status,
    int AttemptCount,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    IReadOnlyList<WebhookAttempt> Attempts);

/// <summary>The webhook subscriptions and their deliveries (admins). Use key 0.</summary>
public interface IWebhooksGrain : IGrainWithIntegerKey
{
    /// <summary>Creates a subscription with a new secret; 400 <c>url_not_allowed</c> for a URL the outbound guard refuses.</summary>
    Task<WebhookWithSecret> Create(NewWebhook webhook);

    Task<Page<Webhook>> List(int limit, int offset);

    Task<Webhook?> Get(string id);

    /// <summary>Deletes it with its deliveries; 404 when there is none, 412 when <paramref name="expectedVersion"/> is not its version.</summary>
    Task Delete(string id, long? expectedVersion);

    /// <summary>A new secret; the previous one also signs for <c>Webhooks:PreviousSecretHours</c>, so receivers can switch.</summary>
    Task<WebhookWithSecret> RotateSecret(string id);

    /// <summary>Enables a subscription (disabled after 24 h of failures): its failure streak starts afresh.</summary>
    Task<Webhook> Enable(string id);

    /// <summary>Queues a <c>webhook.ping</c> delivery now; 409 <c>webhook_disabled</c> when it is disabled.</summary>
    Task<WebhookDelivery> Ping(string id);

    Task<Page<WebhookDelivery>> Deliveries(string id, string? status, int limit, int offset);

    Task<WebhookDelivery> Delivery(string id, string deliveryId);

    /// <summary>Sends a delivery again (same <c>webhook-id</c>), now, with 24 h of retries afresh; 409 <c>webhook_disabled</c>.</summary>
    Task<WebhookDelivery> Redeliver(string id, string deliveryId);
}
