using Scheduler.Grains.Persistence;
using Scheduler.Notifications;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// A consumer of the outbox (<c>domain_events</c>). The dispatcher hands each undispatched event, in order, to every
/// registered sink; the rows a sink returns are written in the transaction that marks the event dispatched, so a sink
/// that queues durable work (an email, a webhook delivery, a calendar push) queues it exactly once.
/// </summary>
public interface IDomainEventSink
{
    /// <summary>Rows to write for <paramref name="change"/> (none when it concerns this sink not), in <paramref name="round"/>.</summary>
    Task<IReadOnlyList<IReadModelChange>> Plan(DomainEvent change, DispatchRound round);
}
