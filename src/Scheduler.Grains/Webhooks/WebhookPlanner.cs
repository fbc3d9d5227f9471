using Scheduler.Grains.Notifications;
using Scheduler.Grains.Persistence;
using Scheduler.Notifications;
using Scheduler.Webhooks;

namespace Scheduler.Grains.Webhooks;

/// <summary>
/// The webhooks' sink of the outbox: one delivery per enabled subscription that receives the event's type, queued in
/// the transaction that marks the event dispatched (keyed by subscription and event, so queuing twice queues once).
/// </summary>
public sealed class WebhookPlanner(ReadModelQueries queries, WebhookTelemetry telemetry, TimeProvider time) : IDomainEventSink
{
    public async Task<IReadOnlyList<IReadModelChange>> Plan(DomainEvent change, DispatchRound round)
    {
        if (WebhookEventTypes.Of(change.EntityType, change.Action) is not { } type)
        {
            return [];
        }
        var subscriptions = await round.Once("webhooks", () => WebhookStore.Subscriptions(queries));
        var subscribers = subscriptions.Where(s => s.Types.Count == 0 || s.Types.Contains(type, StringComparer.Ordinal)).Select(s => s.Id).ToList();
        if (subscribers.Count == 0)
        {
            return [];
        }
        var payload = WebhookPayload.For(type, change);
        var now = time.GetUtcNow();
        telemetry.Queued(subscribers.Count);
        return [.. subscribers.Select(webhookId => WebhookDeliveries.Queue(
            new QueuedDelivery(NewId(now), webhookId, change.Seq, type, change.EntityId, change.Version, payload, change.TraceParent, now)))];
    }

    public static string NewId(DateTimeOffset now) => "msg_" + Guid.CreateVersion7(now).ToString("N");
}
