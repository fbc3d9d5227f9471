using Scheduler.Events;

namespace Scheduler.CalendarFeeds;

/// <summary>
/// The secret of an interviewer's calendar feed (<c>/calendar/{Token}.ics</c>): anyone holding it reads the feed, so it
/// is shown only to those who may see the interviewer's schedule.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CalendarFeedKey(string Token, DateTimeOffset IssuedAt);

/// <summary>An iCalendar document (RFC 5545) and the entity tag of its content.</summary>
[GenerateSerializer, Immutable]
public sealed record CalendarDocument(string Content, string ETag);

/// <summary>Interviews as iCalendar, read from the read model (no entity grain is activated). Use key 0.</summary>
public interface ICalendarFeedQueryGrain : IGrainWithIntegerKey
{
    /// <summary>The feed of the live interviewer whose current feed token is <paramref name="token"/>; null when there is none.</summary>
    Task<CalendarDocument?> Feed(string token);

    /// <summary>One interview as a calendar file, with the UID and SEQUENCE the feed and the invitations give it.</summary>
    Task<CalendarDocument> Single(InterviewEvent interview);
}
