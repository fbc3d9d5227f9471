using Scheduler.Grains.Calendars;

namespace Scheduler.Grains.Tests.Calendars;

public sealed class BusyTimeTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateTimeOffset From = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(180);

    private static string Calendar(string body) =>
        ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:u1\nDTSTAMP:20260101T000000Z\n" + body + "\nEND:VEVENT\nEND:VCALENDAR\n").ReplaceLineEndings("\r\n");

    [Fact]
    public void Read_EndlessMinutelyRule_StopsAtTheBlockLimit()
    {
        var ics = Calendar("DTSTART:20270101T000000Z\nDTEND:20270101T000030Z\nRRULE:FREQ=MINUTELY");

        var error = Assert.Throws<InvalidDataException>(() => BusyTime.Read([ics], Berlin, From, To, maxBlocks: 1000));

        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DailyRuleWithoutEnd_ExpandsOnlyInsideTheWindow()
    {
        var ics = Calendar("DTSTART;TZID=Europe/Berlin:20200106T090000\nDTEND;TZID=Europe/Berlin:20200106T093000\nRRULE:FREQ=DAILY");

        var blocks = BusyTime.Read([ics], Berlin, From, To, maxBlocks: 5000);

        Assert.Equal(180, blocks.Count);
        Assert.All(blocks, b => Assert.True(b.StartsAt >= From && b.EndsAt <= To));
        // 09:00 in Berlin is 08:00Z in winter and 07:00Z in summer: each instance keeps its wall-clock time.
        Assert.Equal(8, blocks[0].StartsAt.UtcDateTime.Hour);
        Assert.Equal(7, blocks[^1].StartsAt.UtcDateTime.Hour);
    }

    [Fact]
    public void Read_InvalidDate_ThrowsAReadableError()
    {
        var ics = Calendar("DTSTART:20271345T990000Z\nDTEND:20271346T990000Z");

        Assert.ThrowsAny<Exception>(() => BusyTime.Read([ics], Berlin, From, To, maxBlocks: 5000));
    }

    [Fact]
    public void Read_OverlappingEvents_MergeIntoOneBlock()
    {
        var first = Calendar("DTSTART:20270105T100000Z\nDTEND:20270105T110000Z");
        var second = Calendar("DTSTART:20270105T103000Z\nDTEND:20270105T120000Z").Replace("UID:u1", "UID:u2", StringComparison.Ordinal);

        var blocks = BusyTime.Read([first, second], Berlin, From, To, maxBlocks: 5000);

        var block = Assert.Single(blocks);
        Assert.Equal(new DateTimeOffset(2027, 1, 5, 10, 0, 0, TimeSpan.Zero), block.StartsAt);
        Assert.Equal(new DateTimeOffset(2027, 1, 5, 12, 0, 0, TimeSpan.Zero), block.EndsAt);
    }
}
