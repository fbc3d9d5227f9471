using Scheduler.Events;

namespace Scheduler.Grains.Events;

/// <summary>
/// A change to the interviewers' calendars that the event has made durable but may not have carried out yet:
/// reserve its slot with one interviewer, release it from another. <see cref="RevertTo"/> is the event as it was.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CalendarIntent(string? ReserveWith, Slot? Slot, string? ReleaseFrom, InterviewEvent? RevertTo, bool IgnoreBusy = false);
