using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Common;

/// <summary>
/// The one table of the names enums go by outside the process: in JSON bodies, query strings, audit changes and
/// read-model columns. The API's contracts and the read model both read it, so a name is spelled in one place.
/// (Audit actions and entity types are names already: <see cref="Audit.AuditActions"/>, <see cref="Audit.AuditEntityTypes"/>.)
/// </summary>
public static class WireNames
{
    public static readonly WireNames<EventStatus> EventStatuses = new(
        (EventStatus.Scheduled, "scheduled"), (EventStatus.Cancelled, "cancelled"), (EventStatus.Completed, "completed"));

    public static readonly WireNames<InterviewerStatus> InterviewerStatuses = new(
        (InterviewerStatus.Active, "active"), (InterviewerStatus.Inactive, "inactive"));

    /// <summary>The <c>sort</c> keys of <c>/api/events</c> (optionally prefixed by <c>-</c>).</summary>
    public static readonly WireNames<EventSort> EventSorts = new(
        (EventSort.StartsAt, "startsAt"), (EventSort.CreatedAt, "createdAt"), (EventSort.UpdatedAt, "updatedAt"));

    /// <summary>The <c>sort</c> keys of <c>/api/interviewers</c> (optionally prefixed by <c>-</c>).</summary>
    public static readonly WireNames<InterviewerSort> InterviewerSorts = new(
        (InterviewerSort.Name, "name"), (InterviewerSort.Email, "email"), (InterviewerSort.CreatedAt, "createdAt"), (InterviewerSort.UpdatedAt, "updatedAt"));

    /// <summary>The keys of working hours, Monday first (the order they are written in).</summary>
    public static readonly WireNames<DayOfWeek> Weekdays = new(
        (DayOfWeek.Monday, "monday"), (DayOfWeek.Tuesday, "tuesday"), (DayOfWeek.Wednesday, "wednesday"), (DayOfWeek.Thursday, "thursday"),
        (DayOfWeek.Friday, "friday"), (DayOfWeek.Saturday, "saturday"), (DayOfWeek.Sunday, "sunday"));

    public static string WireName(this EventStatus status) => EventStatuses.Name(status);

    public static string WireName(this InterviewerStatus status) => InterviewerStatuses.Name(status);
}
