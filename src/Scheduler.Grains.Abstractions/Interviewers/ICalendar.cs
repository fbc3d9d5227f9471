using Scheduler.Events;

namespace Scheduler.Interviewers;

/// <summary>One reservation in an interviewer's calendar.</summary>
[GenerateSerializer, Immutable]
public sealed record CalendarEntry(string EventId, Slot Slot);

/// <summary>What the interviewer grain answers to a reservation: the zone the interviewer works in.</summary>
[GenerateSerializer, Immutable]
public sealed record Reservation(string EventId, Slot Slot, string InterviewerTimezone);
