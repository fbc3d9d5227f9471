using Scheduler.Events;

namespace Scheduler.Grains.Interviewers;

/// <summary>The interviewer's calendar: the slot each of its booked interviews holds.</summary>
[GenerateSerializer]
public sealed class CalendarState
{
    [Id(0)]
    public Dictionary<string, Slot> Reservations { get; set; } = [];
}
