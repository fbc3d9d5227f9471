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
/// <param name="WriteBack">A CalDAV calendar that also receives the interviewer's interviews (PUT and DELETE).</param>
[GenerateSerializer, Immutable]
public sealed record LinkCalendarCommand(string Kind, string Url, string? Name, string Auth, string? Username, string? Secret, bool WriteBack = false);

/// <summary>A linked external calendar and how its sync goes. Never carries the credentials.</summary>
/// <param name="LastSyncedAt">The last successful sync: the age of the busy blocks in use.</param>
/// <param name="LastPushedAt">The last interview written to the calendar (write-back).</param>
/// <param name="LastPushError">Why the last write-back failed (it is retried), or null.</param>
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
    int BusyCount,
    bool WriteBack = false,
    DateTimeOffset? LastPushedAt = null,
    string? LastPushError = null);

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
