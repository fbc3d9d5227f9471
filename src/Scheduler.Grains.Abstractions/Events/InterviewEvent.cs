namespace Scheduler.Events;

public enum EventStatus
{
    Scheduled,
    Cancelled,
    Completed,
}

/// <summary>A booked time: <c>[StartsAt, EndsAt)</c> in UTC.</summary>
[GenerateSerializer, Immutable]
public sealed record Slot(DateTimeOffset StartsAt, DateTimeOffset EndsAt)
{
    public TimeSpan Duration => EndsAt - StartsAt;
}

/// <summary>What a recruiter gives to book (or rebook) an interview; a full replacement on update.</summary>
/// <param name="Timezone">IANA zone the interview was booked in; null = the interviewer's.</param>
/// <param name="IgnoreCalendarBusy">Book over the interviewer's external busy time (recruiters only; audited).</param>
[GenerateSerializer, Immutable]
public sealed record Booking(
    string InterviewerId,
    string Title,
    string CandidateName,
    string CandidateEmail,
    Slot Slot,
    string? Timezone,
    string? Location,
    string? MeetingUrl,
    string? Notes,
    bool IgnoreCalendarBusy = false);

[GenerateSerializer, Immutable]
public sealed record InterviewEvent(
    string Id,
    string InterviewerId,
    string Title,
    string CandidateName,
    string CandidateEmail,
    Slot Slot,
    string Timezone,
    string? Location,
    string? MeetingUrl,
    string? Notes,
    EventStatus Status,
    string? CancellationReason,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

public static class EventCodes
{
    public const string SlotConflict = "slot_conflict";
    public const string OutsideWorkingHours = "outside_working_hours";
    public const string DailyLimitReached = "daily_limit_reached";
    public const string InterviewerInactive = "interviewer_inactive";
    public const string UnknownInterviewer = "unknown_interviewer";
    public const string EventClosed = "event_closed";
    public const string NotStarted = "not_started";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string EventDeleted = "event_deleted";
    public const string HasUpcomingEvents = "has_upcoming_events";
    public const string BookingsOutsideSettings = "bookings_outside_settings";
    public const string CalendarBusy = "calendar_busy";
}
