using Scheduler.Events;
using Scheduler.Grains.Interviewers;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Interviewers;

/// <summary>
/// <see cref="CalendarRules.Availability"/> walks only working windows against merged blocked intervals; these tests
/// hold it to the plain definition: every grid line of the range whose slot <see cref="CalendarRules.Refusal"/> allows
/// and no busy block overlaps. Random calendars (fixed seeds) across the 2026 DST changes of several zones.
/// </summary>
public sealed class AvailabilityEquivalenceTests
{
    private static readonly string[] Zones = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Tokyo"];

    // Ranges that hold a DST change of one zone or another: New York 03-08 and 11-01, Berlin 03-29 and 10-25,
    // Lord Howe (30 minutes) 04-05 and 10-04.
    private static readonly DateTimeOffset[] Weeks =
    [
        new(2026, 3, 5, 0, 0, 0, TimeSpan.Zero), new(2026, 3, 26, 0, 0, 0, TimeSpan.Zero), new(2026, 4, 2, 0, 0, 0, TimeSpan.Zero),
        new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 10, 22, 0, 0, 0, TimeSpan.Zero), new(2026, 10, 29, 0, 0, 0, TimeSpan.Zero),
    ];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 60)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Availability_RandomCalendar_EqualsEveryGridLineTheRulesAllow(int seed)
    {
        var random = new Random(seed);
        var from = Weeks[random.Next(Weeks.Length)].AddMinutes(random.Next(0, 24 * 60));
        var to = from.AddDays(random.Next(1, 8)).AddMinutes(random.Next(0, 60));
        var interviewer = RandomInterviewer(random);
        var calendar = Enumerable.Range(0, random.Next(0, 25))
            .Select(n => new CalendarEntry($"e{n}", RandomSlot(random, from, to, maxMinutes: 120))).ToArray();
        var busy = Enumerable.Range(0, random.Next(0, 4) == 0 ? 0 : random.Next(1, 200))
            .Select(_ => RandomSlot(random, from, to, maxMinutes: 240)).ToArray();
        var duration = TimeSpan.FromMinutes(15 * random.Next(1, 7));
        var now = random.Next(3) == 0 ? from.AddMinutes(random.Next(0, 3 * 24 * 60)) : from.AddYears(-1);

        var fast = CalendarRules.Availability(interviewer, calendar, from, to, duration, now, busy);

        Assert.Equal(Plain(interviewer, calendar, busy, from, to, duration, now), fast);
    }

    [Fact]
    public void Availability_BusyBlocks_BlockOverlapsOnly_WithoutTheBuffer()
    {
        // 09:00-11:00 UTC, buffer 15: a busy block 09:30-10:00 leaves 10:00 free (touching), a booking 10:30-10:45 does not.
        var interviewer = new Interviewer("iv", "Ada", "ada@example.com", [], InterviewerStatus.Active, "UTC", DateTimeOffset.MinValue,
            DateTimeOffset.MinValue, 1, new WorkingHours(Enum.GetValues<DayOfWeek>().ToDictionary(d => d, IReadOnlyList<TimeRange> (_) => [new(9 * 60, 11 * 60)])),
            null, 15);
        var day = new DateTimeOffset(2026, 5, 4, 0, 0, 0, TimeSpan.Zero);
        var calendar = new[] { new CalendarEntry("a", new Slot(day.AddHours(10.5), day.AddHours(10.75))) };
        var busy = new[] { new Slot(day.AddHours(9.5), day.AddHours(10)) };

        var slots = CalendarRules.Availability(interviewer, calendar, day, day.AddDays(1), TimeSpan.FromMinutes(15), day.AddYears(-1), busy);

        Assert.Equal([day.AddHours(9), day.AddHours(9.25), day.AddHours(10)], slots.Select(s => s.StartsAt));
    }

    [Fact]
    public void Blocked_OverlappingAndTouchingIntervals_MergeIntoOne()
    {
        var day = new DateTimeOffset(2026, 5, 4, 0, 0, 0, TimeSpan.Zero);
        var calendar = new[] { new CalendarEntry("a", new Slot(day.AddHours(9), day.AddHours(10))) };
        Slot[] busy = [new(day.AddHours(10.25), day.AddHours(11)), new(day.AddHours(10.5), day.AddHours(10.75)), new(day.AddHours(13), day.AddHours(14))];

        var blocked = CalendarRules.Blocked(calendar, TimeSpan.FromMinutes(15), busy);

        Assert.Equal([new Slot(day.AddHours(8.75), day.AddHours(11)), new Slot(day.AddHours(13), day.AddHours(14))], blocked);
    }

    private static List<Slot> Plain(
        Interviewer interviewer, CalendarEntry[] calendar, Slot[] busy, DateTimeOffset from, DateTimeOffset to, TimeSpan duration, DateTimeOffset now)
    {
        var grid = CalendarRules.Grid.Ticks;
        var first = from > now ? from : now;
        var free = new List<Slot>();
        for (var t = new DateTimeOffset((first.UtcTicks + grid - 1) / grid * grid, TimeSpan.Zero); t + duration <= to; t += CalendarRules.Grid)
        {
            var slot = new Slot(t, t + duration);
            if (CalendarRules.Refusal(interviewer, calendar, "", slot) is null && !busy.Any(b => b.StartsAt < slot.EndsAt && slot.StartsAt < b.EndsAt))
            {
                free.Add(slot);
            }
        }
        return free;
    }

    private static Interviewer RandomInterviewer(Random random)
    {
        WorkingHours? hours = null;
        if (random.Next(5) > 0)
        {
            var days = new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>();
            foreach (var day in Enum.GetValues<DayOfWeek>().Where(_ => random.Next(4) > 0))
            {
                // Up to three ranges at 30-minute steps, sometimes touching each other or the day's ends.
                var ranges = new List<TimeRange>();
                var at = 30 * random.Next(0, 30);
                for (var n = random.Next(1, 4); n > 0 && at < TimeRange.EndOfDay; n--)
                {
                    var end = Math.Min(TimeRange.EndOfDay, at + 30 * random.Next(1, 24));
                    ranges.Add(new TimeRange(at, end));
                    at = end + 30 * random.Next(0, 4);
                }
                days[day] = ranges;
            }
            hours = new WorkingHours(days);
        }
        int? maxPerDay = random.Next(3) == 0 ? random.Next(0, 4) : null;
        return new Interviewer("iv", "Ada", "ada@example.com", [], random.Next(20) == 0 ? InterviewerStatus.Inactive : InterviewerStatus.Active,
            Zones[random.Next(Zones.Length)], DateTimeOffset.MinValue, DateTimeOffset.MinValue, 1, hours, maxPerDay, 5 * random.Next(0, 7));
    }

    // Five-minute steps, so that many edges fall between grid lines.
    private static Slot RandomSlot(Random random, DateTimeOffset from, DateTimeOffset to, int maxMinutes)
    {
        var span = (int)((to - from).TotalMinutes / 5) + 2 * 288;
        var start = from.AddDays(-1).AddMinutes(5 * random.Next(0, span));
        return new Slot(start, start.AddMinutes(5 * random.Next(0, maxMinutes / 5 + 1)));
    }
}
