namespace Scheduler.Calendars;

public static class LinkedCalendarKinds
{
    public const string Ics = "ics";
    public const string CalDav = "caldav";
}

public static class LinkedCalendarAuth
{
    public const string None = "none";
    public const string Basic = "basic";
    public const string Bearer = "bearer";
}

/// <summary>What is given to link a calendar; <paramref name="Secret"/> (password or token) is encrypted before it is stored.</summary>
[GenerateSerializer, Immutable]
public sealed record LinkCalendarCommand(string Kind, string Url, string? Name, string Auth, string? Username, string? Secret);

/// <summary>A linked external calendar and how its sync goes. Never carries the credentials.</summary>
/// <param name="LastSyncedAt">The last successful sync: the age of the busy blocks in use.</param>
[GenerateSerializer, Immutable]
public sealed record LinkedCalendar(
    string Id,
    string InterviewerId,
    string Kind,
    string Url,
    string? Name,
    string Auth,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSyncedAt,
    DateTimeOffset? LastAttemptAt,
    string? LastError,
    int BusyCount);

/// <summary>The linked calendars of one interviewer, keyed by the interviewer's id.</summary>
public interface ILinkedCalendarsGrain : IGrainWithStringKey
{
    Task<LinkedCalendar> Link(LinkCalendarCommand command);

    [ReadOnly]
    Task<IReadOnlyList<LinkedCalendar>> List();

    /// <summary>Unlinks the calendar and drops its busy blocks; false when it is not linked here.</summary>
    Task<bool> Unlink(string calendarId);

    /// <summary>Syncs the calendar now; null when it is not linked here. A failed sync is reported in <c>LastError</c>.</summary>
    Task<LinkedCalendar?> SyncNow(string calendarId);
}
