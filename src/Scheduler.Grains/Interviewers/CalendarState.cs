using Scheduler.Events;

namespace Scheduler.Grains.Interviewers;

/// <summary>The interviewer's calendar: the slot each of its booked interviews holds, and external busy time.</summary>
[GenerateSerializer]
public sealed class CalendarState
{
    [Id(0)]
    public Dictionary<string, Slot> Reservations { get; set; } = [];

    /// <summary>Busy blocks per linked calendar, as of its last successful sync (kept while it cannot be reached).</summary>
    [Id(1)]
    public Dictionary<string, BusyBlocks> Busy { get; set; } = [];
}

[GenerateSerializer, Immutable]
public sealed record BusyBlocks([property: Id(0)] IReadOnlyList<Slot> Blocks, [property: Id(1)] DateTimeOffset SyncedAt);
