using System.Text;
using Scheduler.Events;
using Scheduler.Grains.Notifications;

namespace Scheduler.Grains.Tests.Notifications;

public sealed class IcsCalendarTests
{
    private static readonly DateTimeOffset Start = new(2030, 3, 4, 15, 0, 0, TimeSpan.Zero);

    private static InterviewEvent Interview(string title = "Interview", string candidate = "Casey") => new(
        "evt1", "int1", title, candidate, "casey@example.com", new Slot(Start, Start.AddHours(1)), "Europe/Berlin", "Room 1, floor 2",
        "https://meet.example.com/x", null, EventStatus.Scheduled, null, "admin", Start.AddDays(-1), Start.AddDays(-1), 3);

    private static string Write(InterviewEvent interview, string method = IcsCalendar.Request) =>
        IcsCalendar.Message(method, interview, 2, Start.AddDays(-2), ("Scheduler", "scheduler@example.com"), [("Casey", "casey@example.com")]);

    [Fact]
    public void Message_LinesEndInCrlf_AndNoneIsLongerThan75Octets()
    {
        var ics = Write(Interview(title: new string('é', 100)));

        Assert.EndsWith("END:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", ics.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(ics.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, line));
        var unfolded = ics.Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains($"SUMMARY:{new string('é', 100)}\r\n", unfolded, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_TextWithSeparatorsAndLineBreaks_IsEscaped_AndCannotStartAProperty()
    {
        var ics = Write(Interview(title: "a;b,c\\d\r\nATTENDEE:mailto:evil@example.com")).Replace("\r\n ", "", StringComparison.Ordinal);

        Assert.Contains("SUMMARY:a\\;b\\,c\\\\d\\nATTENDEE:mailto:evil@example.com\r\n", ics, StringComparison.Ordinal);
        Assert.Single(ics.Split("\r\n"), line => line.StartsWith("ATTENDEE", StringComparison.Ordinal));
        Assert.Contains("LOCATION:Room 1\\, floor 2\r\n", ics, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_CancelMethod_IsCancelledWithTheSameUidAndTheGivenSequence()
    {
        var lines = Write(Interview(), IcsCalendar.Cancel).Split("\r\n");

        Assert.Contains("METHOD:CANCEL", lines);
        Assert.Contains("STATUS:CANCELLED", lines);
        Assert.Contains("UID:evt1@scheduler", lines);
        Assert.Contains("SEQUENCE:2", lines);
        Assert.Contains("DTSTART:20300304T150000Z", lines);
        Assert.Contains("DTEND:20300304T160000Z", lines);
    }

    [Fact]
    public void Message_AttendeeNameWithQuotesAndLineBreaks_StaysOneQuotedParameter()
    {
        var ics = IcsCalendar.Message(IcsCalendar.Request, Interview(), 0, Start, ("Sched\"uler", "s@example.com"), [("Eve\r\n\"x\":mailto:a", "eve@example.com")]);

        Assert.Contains("ORGANIZER;CN=\"Scheduler\":mailto:s@example.com", ics, StringComparison.Ordinal);
        Assert.Contains("ATTENDEE;CN=\"Evex:mailto:a\";ROLE=REQ-PARTICIPANT", ics.Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
