using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Scheduler.CalendarFeeds;
using Scheduler.Events;
using Scheduler.Grains.Notifications;

namespace Scheduler.Grains.CalendarFeeds;

/// <summary>
/// Interviews as a published iCalendar (RFC 5545, <c>METHOD:PUBLISH</c>): the feed a calendar app subscribes to, or one
/// interview as a file. Each interview is one VEVENT with the UID and SEQUENCE of its email invitations
/// (<see cref="IcsCalendar"/>), so an app that got both keeps one entry. DTSTAMP is the interview's last change, as
/// RFC 5545 asks of a calendar without a scheduling method, so the same interviews give the same bytes (and entity tag).
/// </summary>
public static class IcsFeed
{
    public static CalendarDocument Feed(string name, IEnumerable<InterviewEvent> interviews, CalendarFeedOptions options)
    {
        var ics = Begin(options);
        IcsCalendar.Line(ics, $"NAME:{IcsCalendar.Text(name)}");
        IcsCalendar.Line(ics, $"X-WR-CALNAME:{IcsCalendar.Text(name)}");
        var refresh = $"PT{Math.Max(1, options.RefreshMinutes).ToString(CultureInfo.InvariantCulture)}M";
        IcsCalendar.Line(ics, $"REFRESH-INTERVAL;VALUE=DURATION:{refresh}");
        IcsCalendar.Line(ics, $"X-PUBLISHED-TTL:{refresh}");
        foreach (var interview in interviews)
        {
            Event(ics, interview, options.IncludeCandidate);
        }
        return End(ics);
    }

    public static CalendarDocument Single(InterviewEvent interview, CalendarFeedOptions options)
    {
        var ics = Begin(options);
        Event(ics, interview, options.IncludeCandidate);
        return End(ics);
    }

    /// <summary>
    /// One interview as a CalDAV calendar object resource (write-back): the feed's VEVENT, without <c>METHOD</c>, which
    /// RFC 4791 forbids in a calendar collection.
    /// </summary>
    public static CalendarDocument Resource(InterviewEvent interview, CalendarFeedOptions options)
    {
        var ics = Begin(options, method: false);
        Event(ics, interview, options.IncludeCandidate);
        return End(ics);
    }

    private static StringBuilder Begin(CalendarFeedOptions options, bool method = true)
    {
        var ics = new StringBuilder(1024);
        IcsCalendar.Line(ics, "BEGIN:VCALENDAR");
        IcsCalendar.Line(ics, "VERSION:2.0");
        IcsCalendar.Line(ics, "PRODID:-//Scheduler//Interview scheduling//EN");
        IcsCalendar.Line(ics, "CALSCALE:GREGORIAN");
        if (method)
        {
            IcsCalendar.Line(ics, "METHOD:PUBLISH");
        }
        return ics;
    }

    private static CalendarDocument End(StringBuilder ics)
    {
        IcsCalendar.Line(ics, "END:VCALENDAR");
        var content = ics.ToString();
        var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)).AsSpan(0, 16));
        return new CalendarDocument(content, $"\"{tag}\"");
    }

    private static void Event(StringBuilder ics, InterviewEvent interview, bool includeCandidate)
    {
        IcsCalendar.Line(ics, "BEGIN:VEVENT");
        IcsCalendar.Line(ics, $"UID:{IcsCalendar.Text(IcsCalendar.Uid(interview.Id))}");
        IcsCalendar.Line(ics, $"DTSTAMP:{IcsCalendar.Utc(interview.UpdatedAt)}");
        IcsCalendar.Line(ics, $"DTSTART:{IcsCalendar.Utc(interview.Slot.StartsAt)}");
        IcsCalendar.Line(ics, $"DTEND:{IcsCalendar.Utc(interview.Slot.EndsAt)}");
        // The invitations' SEQUENCE: the first version is 0, every reschedule or edit raises it.
        IcsCalendar.Line(ics, $"SEQUENCE:{(interview.Version - 1).ToString(CultureInfo.InvariantCulture)}");
        IcsCalendar.Line(ics, $"SUMMARY:{IcsCalendar.Text(interview.Title)}");
        var url = interview.MeetingUrl is { Length: > 0 } link && Uri.TryCreate(link, UriKind.Absolute, out var uri) ? uri.AbsoluteUri : null;
        if ((interview.Location is { Length: > 0 } ? interview.Location : url) is { } location)
        {
            IcsCalendar.Line(ics, $"LOCATION:{IcsCalendar.Text(location)}");
        }
        if (url is not null)
        {
            IcsCalendar.Line(ics, $"URL:{url}");
        }
        var description = new StringBuilder("Interview");
        if (includeCandidate)
        {
            description.Append(CultureInfo.InvariantCulture, $" with {interview.CandidateName} <{interview.CandidateEmail}>");
        }
        if (url is not null)
        {
            description.Append('\n').Append(url);
        }
        IcsCalendar.Line(ics, $"DESCRIPTION:{IcsCalendar.Text(description.ToString())}");
        IcsCalendar.Line(ics, $"STATUS:{(interview.Status == EventStatus.Cancelled ? "CANCELLED" : "CONFIRMED")}");
        IcsCalendar.Line(ics, "TRANSP:OPAQUE");
        IcsCalendar.Line(ics, $"CREATED:{IcsCalendar.Utc(interview.CreatedAt)}");
        IcsCalendar.Line(ics, $"LAST-MODIFIED:{IcsCalendar.Utc(interview.UpdatedAt)}");
        IcsCalendar.Line(ics, "END:VEVENT");
    }
}
