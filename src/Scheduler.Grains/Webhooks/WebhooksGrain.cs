using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Outbound;
using Scheduler.Grains.Persistence;
using Scheduler.Webhooks;

namespace Scheduler.Grains.Webhooks;

/// <summary>
/// The webhook subscriptions as admins manage them: rows of <c>webhooks</c> changed through the writer, each change
/// audited in the same transaction (never the secret). A secret is returned when it is made, and never again; it is
/// stored protected (<see cref="WebhookSecrets"/>).
/// </summary>
[StatelessWorker]
public sealed class WebhooksGrain(
    ReadModelQueries queries, DatabaseWriter writer, WebhookSecrets secrets, IOptions<WebhookOptions> options, IOptions<OutboundOptions> outbound,
    TimeProvider time)
    : Grain, IWebhooksGrain
{
    public async Task<WebhookWithSecret> Create(NewWebhook webhook)
    {
        if (OutboundAddresses.CheckUrl(webhook.Url) is { } problem)
        {
            throw new DomainValidationException("url", problem, "url_not_allowed");
        }
        // A host that is an address is checked now; a name is checked when it is resolved, at every connection.
        if (!outbound.Value.AllowPrivateNetworks && System.Net.IPAddress.TryParse(new Uri(webhook.Url).DnsSafeHost, out var address)
            && !OutboundAddresses.IsPublic(address))
        {
            throw new DomainValidationException("url", $"'{address}' is not a public address.", "url_not_allowed");
        }
        var now = time.GetUtcNow();
        var created = new Webhook(Guid.CreateVersion7(now).ToString("N"), webhook.Url, webhook.EventTypes, webhook.Description, true, null, null, 1, now, now);
        var secret = WebhookSigning.NewSecret();
        var stored = secrets.Protect(secret);
        var changes = new ChangeSet().Field("url", null, created.Url).Field("eventTypes", null, created.EventTypes)
            .Field("description", null, created.Description).ToJson();
        await writer.Run(session =>
        {
            WebhookStore.Insert(session, created, stored);
            Audit(session, created.Id, 1, AuditActions.Created, changes, now);
            return 0;
        });
        return new WebhookWithSecret(created, secret);
    }

    public Task<Page<Webhook>> List(int limit, int offset) => WebhookStore.List(queries, limit, offset);

    public Task<Webhook?> Get(string id) => WebhookStore.Find(queries, id);

    public async Task Delete(string id, long? expectedVersion)
    {
        var existing = await Require(id);
        if (expectedVersion is { } expected && expected != existing.Version)
        {
            throw new VersionMismatchException(expected, existing.Version);
        }
        var now = time.GetUtcNow();
        var changes = new ChangeSet().Field("url", existing.Url, null).ToJson();
        var deleted = await writer.Run(session =>
        {
            var done = WebhookStore.Delete(session, id, existing.Version);
            if (done)
            {
                Audit(session, id, existing.Version + 1, AuditActions.Deleted, changes, now);
            }
            return done;
        });
        if (!deleted)
        {
            // Changed (a rotation, a disable) or deleted since it was read.
            var current = await Require(id);
            throw new VersionMismatchException(expectedVersion ?? existing.Version, current.Version);
        }
    }

    public async Task<WebhookWithSecret> RotateSecret(string id)
    {
        await Require(id);
        var now = time.GetUtcNow();
        var secret = WebhookSigning.NewSecret();
        var stored = secrets.Protect(secret);
        var version = await writer.Run(session =>
        {
            var version = WebhookStore.Rotate(session, id, stored, now, now.AddHours(options.Value.PreviousSecretHours));
            if (version is { } v)
            {
                Audit(session, id, v, AuditActions.SecretRotated, "{}", now);
            }
            return version;
        });
        return version is null ? throw Missing(id) : new WebhookWithSecret(await Require(id), secret);
    }

    public async Task<Webhook> Enable(string id)
    {
        var existing = await Require(id);
        if (existing.Enabled)
        {
            return existing;
        }
        var now = time.GetUtcNow();
        await writer.Run(session =>
        {
            if (WebhookStore.Enable(session, id, now) is { } version)
            {
                Audit(session, id, version, AuditActions.Enabled, new ChangeSet().Field("enabled", "false", "true").ToJson(), now);
            }
            return 0;
        });
        return await Require(id);
    }

    public async Task<WebhookDelivery> Ping(string id)
    {
        var webhook = await RequireEnabled(id);
        var now = time.GetUtcNow();
        var deliveryId = WebhookPlanner.NewId(now);
        await writer.Run(session =>
        {
            WebhookDeliveries.Queue(new QueuedDelivery(deliveryId, webhook.Id, null, WebhookEventTypes.Ping, null, null,
                WebhookPayload.Ping(webhook.Id, now), null, now)).Apply(session);
            return 0;
        });
        return await Delivery(id, deliveryId);
    }

    public async Task<Page<WebhookDelivery>> Deliveries(string id, string? status, int limit, int offset)
    {
        await Require(id);
        return await WebhookDeliveries.List(queries, id, status, limit, offset);
    }

    public async Task<WebhookDelivery> Delivery(string id, string deliveryId) =>
        await WebhookDeliveries.Find(queries, id, deliveryId) ?? throw new NotFoundException($"Delivery '{deliveryId}' was not found.");

    public async Task<WebhookDelivery> Redeliver(string id, string deliveryId)
    {
        await RequireEnabled(id);
        if (!await writer.Run(session => WebhookDeliveries.Redeliver(session, id, deliveryId, time.GetUtcNow())))
        {
            throw new NotFoundException($"Delivery '{deliveryId}' was not found.");
        }
        return await Delivery(id, deliveryId);
    }

    private async Task<Webhook> Require(string id) => await WebhookStore.Find(queries, id) ?? throw Missing(id);

    private async Task<Webhook> RequireEnabled(string id)
    {
        var webhook = await Require(id);
        return webhook.Enabled ? webhook
            : throw new ConflictException($"Webhook '{id}' is disabled; enable it first.", "webhook_disabled");
    }

    private static NotFoundException Missing(string id) => new($"Webhook '{id}' was not found.");

    internal static void Audit(ReadModelSession session, string id, long version, string action, string changes, DateTimeOffset now) =>
        AuditTrail.Projection(AuditTrail.Entry(AuditEntityTypes.Webhook, id, version, action, changes, now)).Apply(session);
}
