using Scheduler.Audit;
using Scheduler.Events;
using Scheduler.Grains.Entities;

namespace Scheduler.Grains.Events;

[GenerateSerializer]
public sealed class InterviewEventState : IEntityState<InterviewEvent>
{
    [Id(0)]
    public InterviewEvent? Current { get; set; }

    [Id(1)]
    public bool Deleted { get; set; }

    [Id(2)]
    public List<AuditEntry> Outbox { get; set; } = [];

    /// <summary>The calendar change of the last write, possibly not yet carried out (see <see cref="InterviewEventGrain"/>).</summary>
    [Id(3)]
    public CalendarIntent? Pending { get; set; }

    /// <summary>Hash of the booking that created the event: a retry with the same idempotency key must match it.</summary>
    [Id(4)]
    public string? BookingFingerprint { get; set; }
}
