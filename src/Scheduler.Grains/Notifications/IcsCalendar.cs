using System.Globalization;
using System.Text;
using Scheduler.Events;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// An interview as an iCalendar object (RFC 5545) for an iMIP message (RFC 6047): <c>METHOD:REQUEST</c> to invite or
/// update, <c>METHOD:CANCEL</c> with <c>STATUS:CANCELLED</c> to cancel, the same UID for the interview forever and
/// its SEQUENCE rising with every change. Text is escaped and lines are folded at 75 octets.
/// </summary>
public static class IcsCalendar
{
    public const string Request = "REQUEST";
    public const string Cancel = "CANCEL";

    /// <summary>The interview's UID in every calendar object about it.</summary>
    public static string Uid(string eventId) => $"{eventId}@scheduler";

    public static string Message(string method, InterviewEvent interview, long sequence, DateTimeOffset stamp,
        (string Name, string Email) organizer, IEnumerable<(string Name, string Email)> attendees)
    {
        var ics = new StringBuilder();
        Line(ics, "BEGIN:VCALENDAR");
        Line(ics, "VERSION:2.0");
        Line(ics, "PRODID:-//Scheduler//Interview scheduling//EN");
        Line(ics, "CALSCALE:GREGORIAN");
        Line(ics, $"METHOD:{method}");
        Line(ics, "BEGIN:VEVENT");
        Line(ics, $"UID:{Text(Uid(interview.Id))}");
        Line(ics, $"DTSTAMP:{Utc(stamp)}");
        Line(ics, $"DTSTART:{Utc(interview.Slot.StartsAt)}");
        Line(ics, $"DTEND:{Utc(interview.Slot.EndsAt)}");
        Line(ics, $"SEQUENCE:{sequence.ToString(CultureInfo.InvariantCulture)}");
        Line(ics, $"SUMMARY:{Text(interview.Title)}");
        if (interview.Location is { Length: > 0 } location)
        {
            Line(ics, $"LOCATION:{Text(location)}");
        }
        if (interview.MeetingUrl is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            Line(ics, $"URL:{uri.AbsoluteUri}");
        }
        Line(ics, $"DESCRIPTION:{Text($"Interview with {interview.CandidateName}" + (interview.MeetingUrl is { Length: > 0 } link ? $"\n{link}" : ""))}");
        Line(ics, $"STATUS:{(method == Cancel ? "CANCELLED" : "CONFIRMED")}");
        Line(ics, $"LAST-MODIFIED:{Utc(interview.UpdatedAt)}");
        Line(ics, $"ORGANIZER;CN={Parameter(organizer.Name)}:mailto:{Address(organizer.Email)}");
        foreach (var (name, email) in attendees)
        {
            Line(ics, $"ATTENDEE;CN={Parameter(name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{Address(email)}");
        }
        Line(ics, "END:VEVENT");
        Line(ics, "END:VCALENDAR");
        return ics.ToString();
    }

    internal static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    // TEXT values (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as \n, other controls dropped.
    internal static string Text(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            switch (c)
            {
                case '\\' or ';' or ',':
                    text.Append('\\').Append(c);
                    break;
                case '\n' or '\r':
                    text.Append("\\n");
                    break;
                default:
                    if (!char.IsControl(c))
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        return text.ToString();
    }

    // A parameter value (3.2): always quoted; DQUOTE and controls cannot appear inside, so they are dropped.
    private static string Parameter(string value) =>
        $"\"{new string([.. value.Where(c => c != '"' && !char.IsControl(c))])}\"";

    private static string Address(string email) => new([.. email.Where(c => !char.IsControl(c) && c is not (':' or ';' or '"' or ' '))]);

    // Content lines end in CRLF and are folded so that none is longer than 75 octets (3.1), never inside a UTF-8 sequence.
    internal static void Line(StringBuilder ics, string line)
    {
        var octets = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var length = rune.Utf8SequenceLength;
            if (octets + length > 75)
            {
                ics.Append("\r\n ");
                octets = 1;
            }
            ics.Append(rune.ToString());
            octets += length;
        }
        ics.Append("\r\n");
    }
}
