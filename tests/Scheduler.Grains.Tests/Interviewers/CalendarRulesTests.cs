using Scheduler.Events;
using Scheduler.Grains.Interviewers;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Interviewers;

/// <summary>Booking rules as pure functions, on the 2026 DST changes of America/New_York and Europe/Berlin.</summary>
public sealed class CalendarRulesTests
{
    private static readonly TimeRange NineToFive = new(9 * 60, 17 * 60);

    private static WorkingHours EveryDay(params TimeRange[] ranges) =>
        new(Enum.GetValues<DayOfWeek>().ToDictionary(d => d, IReadOnlyList<TimeRange> (_) => ranges));

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static Interviewer Interviewer(string zone, WorkingHours? hours = null, int? maxPerDay = null, int buffer = 0) =>
        new("iv", "Ada", "ada@example.com", [], InterviewerStatus.Active, zone, DateTimeOffset.MinValue, DateTimeOffset.MinValue, 1, hours, maxPerDay, buffer);

    [Theory]
    // America/New_York springs forward on Sunday 2026-03-08: 09:00 is 14:00Z before, 13:00Z after.
    [InlineData("America/New_York", 3, 6, 14, 22)]
    [InlineData("America/New_York", 3, 9, 13, 21)]
    // ... and falls back on Sunday 2026-11-01.
    [InlineData("America/New_York", 10, 30, 13, 21)]
    [InlineData("America/New_York", 11, 2, 14, 22)]
    // Europe/Berlin springs forward on Sunday 2026-03-29 and falls back on Sunday 2026-10-25.
    [InlineData("Europe/Berlin", 3, 27, 8, 16)]
    [InlineData("Europe/Berlin", 3, 30, 7, 15)]
    [InlineData("Europe/Berlin", 10, 23, 7, 15)]
    [InlineData("Europe/Berlin", 10, 26, 8, 16)]
    public void WorkingWindows_FollowWallClockAcrossDst(string zone, int month, int day, int startUtcHour, int endUtcHour)
    {
        var tz = CalendarRules.Zone(zone);
        var dayStart = Utc(month, day, 0);

        var window = CalendarRules.WorkingWindows(EveryDay(NineToFive), tz, dayStart.AddHours(4), dayStart.AddHours(23))
            .Single(w => w.StartsAt.Day == day);

        Assert.Equal(Utc(month, day, startUtcHour), window.StartsAt);
        Assert.Equal(Utc(month, day, endUtcHour), window.EndsAt);
    }

    [Theory]
    // 00:00-04:00 local on the change day: 3 hours when the clocks skip 02:00-03:00, 5 when they repeat 01:00-02:00.
    [InlineData("America/New_York", 3, 8, 3)]
    [InlineData("America/New_York", 11, 1, 5)]
    [InlineData("Europe/Berlin", 3, 29, 3)]
    [InlineData("Europe/Berlin", 10, 25, 5)]
    public void WorkingWindow_OnTheChangeDay_HasTheRealLength(string zone, int month, int day, int hours)
    {
        var tz = CalendarRules.Zone(zone);
        var localMidnight = CalendarRules.ToUtc(new DateTime(2026, month, day), tz, earliest: true);

        var window = CalendarRules.WorkingWindows(EveryDay(new TimeRange(0, 4 * 60)), tz, localMidnight, localMidnight.AddMinutes(1)).Single();

        Assert.Equal(localMidnight, window.StartsAt);
        Assert.Equal(TimeSpan.FromHours(hours), window.EndsAt - window.StartsAt);
    }

    [Fact]
    public void WithinWorkingHours_SlotStartingInTheSkippedHour_StartsWhenClocksResume()
    {
        var tz = CalendarRules.Zone("America/New_York");
        // 02:30 does not exist on 2026-03-08; working hours 02:30-05:00 begin at 03:00 EDT = 07:00Z.
        var hours = EveryDay(new TimeRange(150, 300));

        Assert.True(CalendarRules.WithinWorkingHours(hours, tz, new Slot(Utc(3, 8, 7), Utc(3, 8, 9))));
        Assert.False(CalendarRules.WithinWorkingHours(hours, tz, new Slot(Utc(3, 8, 6, 45), Utc(3, 8, 7, 30))));
    }

    [Fact]
    public void WithinWorkingHours_RangesThatTouch_AreOneWindow_EvenAcrossMidnight()
    {
        var tz = CalendarRules.Zone("Europe/Berlin");
        var hours = new WorkingHours(new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>
        {
            [DayOfWeek.Monday] = [new TimeRange(9 * 60, 12 * 60), new TimeRange(12 * 60, 17 * 60), new TimeRange(18 * 60, 24 * 60)],
            [DayOfWeek.Tuesday] = [new TimeRange(0, 2 * 60)],
        });

        // Monday 2026-06-01, Berlin is UTC+2: 11:30-12:30 local spans the join of the first two ranges.
        Assert.True(CalendarRules.WithinWorkingHours(hours, tz, new Slot(Utc(6, 1, 9, 30), Utc(6, 1, 10, 30))));
        // 23:30 Monday to 00:30 Tuesday local.
        Assert.True(CalendarRules.WithinWorkingHours(hours, tz, new Slot(Utc(6, 1, 21, 30), Utc(6, 1, 22, 30))));
        // 16:30-18:30 local crosses the gap between 17:00 and 18:00.
        Assert.False(CalendarRules.WithinWorkingHours(hours, tz, new Slot(Utc(6, 1, 14, 30), Utc(6, 1, 16, 30))));
    }

    [Fact]
    public void WithinWorkingHours_NoHours_AllowsAnything_AndMissingWeekdayIsNotWorking()
    {
        var tz = CalendarRules.Zone("UTC");
        var mondaysOnly = new WorkingHours(new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>> { [DayOfWeek.Monday] = [NineToFive] });

        Assert.True(CalendarRules.WithinWorkingHours(null, tz, new Slot(Utc(3, 8, 3), Utc(3, 8, 4))));
        Assert.True(CalendarRules.WithinWorkingHours(mondaysOnly, tz, new Slot(Utc(3, 9, 9), Utc(3, 9, 17))));
        Assert.False(CalendarRules.WithinWorkingHours(mondaysOnly, tz, new Slot(Utc(3, 10, 9), Utc(3, 10, 10))));
        Assert.False(CalendarRules.WithinWorkingHours(mondaysOnly, tz, new Slot(Utc(3, 9, 16, 30), Utc(3, 9, 17, 30))));
    }

    [Theory]
    [InlineData(15, 15, false)] // a gap of exactly the buffer is allowed
    [InlineData(15, 14, true)]
    [InlineData(0, 0, false)]   // back to back without a buffer
    [InlineData(0, -1, true)]
    public void Collision_RespectsTheBufferOnBothSides(int buffer, int gapMinutes, bool collides)
    {
        var existing = new CalendarEntry("a", new Slot(Utc(5, 4, 10), Utc(5, 4, 11)));
        var after = new Slot(Utc(5, 4, 11).AddMinutes(gapMinutes), Utc(5, 4, 12));
        var before = new Slot(Utc(5, 4, 9), Utc(5, 4, 10).AddMinutes(-gapMinutes));

        Assert.Equal(collides, CalendarRules.Collision([existing], "b", after, buffer) is not null);
        Assert.Equal(collides, CalendarRules.Collision([existing], "b", before, buffer) is not null);
        Assert.Null(CalendarRules.Collision([existing], "a", after, buffer));
    }

    [Fact]
    public void DailyLimit_CountsPerLocalDayOfTheInterviewer()
    {
        var tz = CalendarRules.Zone("Asia/Tokyo");
        // 2026-05-04 20:00Z and 2026-05-05 01:00Z are both 2026-05-05 in Tokyo (UTC+9).
        var calendar = new[] { new CalendarEntry("a", new Slot(Utc(5, 4, 20), Utc(5, 4, 21))) };
        var interviewer = Interviewer("Asia/Tokyo", maxPerDay: 1);

        var sameLocalDay = Assert.Throws<Scheduler.Common.ConflictException>(() =>
            CalendarRules.EnsureBookable(interviewer, calendar, "b", new Slot(Utc(5, 5, 1), Utc(5, 5, 2))));
        CalendarRules.EnsureBookable(interviewer, calendar, "b", new Slot(Utc(5, 4, 14), Utc(5, 4, 15)));

        Assert.Equal(EventCodes.DailyLimitReached, sameLocalDay.Code);
        Assert.Equal(1, CalendarRules.CountOnLocalDay(calendar, "b", new DateOnly(2026, 5, 5), tz));
    }

    [Fact]
    public void Availability_UsesTheGridHoursBuffersAndBookings()
    {
        // Berlin, summer (UTC+2): 09:00-12:00 local = 07:00-10:00Z; a booking 08:00-08:30Z, buffer 15.
        var interviewer = Interviewer("Europe/Berlin", EveryDay(new TimeRange(9 * 60, 12 * 60)), buffer: 15);
        var calendar = new[] { new CalendarEntry("a", new Slot(Utc(6, 1, 8), Utc(6, 1, 8, 30))) };

        var slots = CalendarRules.Availability(interviewer, calendar, Utc(6, 1, 0), Utc(6, 2, 0), TimeSpan.FromMinutes(30), Utc(1, 1, 0));

        Assert.Equal(
            [Utc(6, 1, 7), Utc(6, 1, 7, 15), Utc(6, 1, 8, 45), Utc(6, 1, 9), Utc(6, 1, 9, 15), Utc(6, 1, 9, 30)],
            slots.Select(s => s.StartsAt));
    }

    [Fact]
    public void Availability_DailyLimitReached_OffersNothingThatDay()
    {
        // Monday 2026-05-04 has its two interviews; Tuesday has one.
        var interviewer = Interviewer("UTC", EveryDay(new TimeRange(9 * 60, 11 * 60)), maxPerDay: 2);
        var calendar = new[]
        {
            new CalendarEntry("a", new Slot(Utc(5, 4, 9), Utc(5, 4, 9, 30))),
            new CalendarEntry("b", new Slot(Utc(5, 4, 10, 30), Utc(5, 4, 11))),
            new CalendarEntry("c", new Slot(Utc(5, 5, 9), Utc(5, 5, 9, 30))),
        };

        var slots = CalendarRules.Availability(interviewer, calendar, Utc(5, 4, 0), Utc(5, 6, 0), TimeSpan.FromMinutes(30), Utc(1, 1, 0));

        Assert.Equal([Utc(5, 5, 9, 30), Utc(5, 5, 9, 45), Utc(5, 5, 10), Utc(5, 5, 10, 15), Utc(5, 5, 10, 30)], slots.Select(s => s.StartsAt));
    }

    [Fact]
    public void Availability_DailyLimit_CountsTheInterviewersLocalDay()
    {
        // Tokyo (UTC+9): 2026-05-04 15:00Z is 2026-05-05 00:00 there, the day that has its one interview.
        var interviewer = Interviewer("Asia/Tokyo", maxPerDay: 1);
        var calendar = new[] { new CalendarEntry("a", new Slot(Utc(5, 4, 15), Utc(5, 4, 16))) };

        var slots = CalendarRules.Availability(interviewer, calendar, Utc(5, 4, 13), Utc(5, 4, 18), TimeSpan.FromHours(1), Utc(1, 1, 0));

        Assert.Equal([Utc(5, 4, 13), Utc(5, 4, 13, 15), Utc(5, 4, 13, 30), Utc(5, 4, 13, 45), Utc(5, 4, 14)], slots.Select(s => s.StartsAt));
    }

    [Fact]
    public void Availability_NothingBeforeNow_StartsOnTheNextGridLine_AndInactiveHasNone()
    {
        var interviewer = Interviewer("UTC", EveryDay(new TimeRange(9 * 60, 10 * 60)));

        var slots = CalendarRules.Availability(interviewer, [], Utc(5, 4, 0), Utc(5, 5, 0), TimeSpan.FromMinutes(30), Utc(5, 4, 9, 1));
        var inactive = CalendarRules.Availability(interviewer with { Status = InterviewerStatus.Inactive }, [], Utc(5, 4, 0), Utc(5, 5, 0),
            TimeSpan.FromMinutes(30), Utc(1, 1, 0));

        Assert.Equal([Utc(5, 4, 9, 15), Utc(5, 4, 9, 30)], slots.Select(s => s.StartsAt));
        Assert.Empty(inactive);
    }

    [Fact]
    public void Availability_OnSpringForwardDay_FollowsTheShiftedHours()
    {
        // New York working 09:00-10:00: 14:00Z on Friday 2026-03-06, 13:00Z on Monday 2026-03-09.
        var interviewer = Interviewer("America/New_York", EveryDay(new TimeRange(9 * 60, 10 * 60)));

        var slots = CalendarRules.Availability(interviewer, [], Utc(3, 6, 0), Utc(3, 10, 0), TimeSpan.FromHours(1), Utc(1, 1, 0));

        Assert.Equal([Utc(3, 6, 14), Utc(3, 7, 14), Utc(3, 8, 13), Utc(3, 9, 13)], slots.Select(s => s.StartsAt));
    }

    [Fact]
    public void EnsureBookable_InactiveInterviewer_IsRefused()
    {
        var inactive = Interviewer("UTC") with { Status = InterviewerStatus.Inactive };

        var error = Assert.Throws<Scheduler.Common.ConflictException>(() =>
            CalendarRules.EnsureBookable(inactive, [], "e", new Slot(Utc(5, 4, 10), Utc(5, 4, 11))));

        Assert.Equal(EventCodes.InterviewerInactive, error.Code);
    }

    [Fact]
    public void Refusal_NamesItsReason_AndWhatItCollidesWith()
    {
        var interviewer = Interviewer("UTC", EveryDay(NineToFive), maxPerDay: 2, buffer: 10);
        var calendar = new[]
        {
            new CalendarEntry("first", new Slot(Utc(5, 4, 9), Utc(5, 4, 10))),
            new CalendarEntry("second", new Slot(Utc(5, 4, 13), Utc(5, 4, 14))),
        };

        var outside = CalendarRules.Refusal(interviewer, calendar, "e", new Slot(Utc(5, 4, 16, 30), Utc(5, 4, 17, 30)));
        var overlap = CalendarRules.Refusal(interviewer, calendar, "e", new Slot(Utc(5, 4, 10, 5), Utc(5, 4, 11)));
        var limit = CalendarRules.Refusal(interviewer, calendar, "e", new Slot(Utc(5, 4, 11), Utc(5, 4, 12)));
        var inactive = CalendarRules.Refusal(interviewer with { Status = InterviewerStatus.Inactive }, [], "e", new Slot(Utc(5, 4, 11), Utc(5, 4, 12)));

        Assert.Equal(EventCodes.OutsideWorkingHours, outside?.Code);
        Assert.Contains("working hours", outside!.Message, StringComparison.Ordinal);
        Assert.Equal(EventCodes.SlotConflict, overlap?.Code);
        Assert.Equal("first", overlap!.ConflictingEventId);
        Assert.Contains("'first' (buffer 10 min)", overlap.Message, StringComparison.Ordinal);
        Assert.Equal(EventCodes.DailyLimitReached, limit?.Code);
        Assert.Contains("already has 2 interviews", limit!.Message, StringComparison.Ordinal);
        Assert.Equal(EventCodes.InterviewerInactive, inactive?.Code);
        Assert.Contains("'iv' is inactive", inactive!.Message, StringComparison.Ordinal);
        // Exactly the buffer after the first interview, on a day with room for one more.
        Assert.Null(CalendarRules.Refusal(interviewer, calendar[..1], "e", new Slot(Utc(5, 4, 10, 10), Utc(5, 4, 11))));
    }

    [Theory]
    // New York falls back on 2026-11-01: 01:00-02:00 comes twice (EDT, 05:00-06:00Z; then EST, 06:00-07:00Z).
    // A window starting in the repeated hour starts at its first occurrence, one ending there ends at its second.
    [InlineData(90, 180, 5, 30, 8, 0)]
    [InlineData(0, 90, 4, 0, 6, 30)]
    public void WorkingWindow_StartOrEndInTheRepeatedHour_IsNeverCutShort(int startMinute, int endMinute, int startHour, int startMin, int endHour, int endMin)
    {
        var tz = CalendarRules.Zone("America/New_York");
        var hours = new WorkingHours(new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>> { [DayOfWeek.Sunday] = [new TimeRange(startMinute, endMinute)] });

        var window = CalendarRules.WorkingWindows(hours, tz, Utc(11, 1, 0), Utc(11, 2, 0)).Single();

        Assert.Equal(Utc(11, 1, startHour, startMin), window.StartsAt);
        Assert.Equal(Utc(11, 1, endHour, endMin), window.EndsAt);
    }

    [Fact]
    public void WithinWorkingHours_RangesGivenOutOfOrder_StillJoin()
    {
        var tz = CalendarRules.Zone("UTC");
        var hours = new WorkingHours(new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>
        {
            [DayOfWeek.Monday] = [new TimeRange(13 * 60, 17 * 60), new TimeRange(9 * 60, 13 * 60)],
        });

        Assert.True(CalendarRules.WithinWorkingHours(hours, tz, new Slot(Utc(5, 4, 12, 30), Utc(5, 4, 13, 30))));
        Assert.True(CalendarRules.WithinWorkingHours(hours, tz, new Slot(Utc(5, 4, 9), Utc(5, 4, 10))));
    }

    [Fact]
    public void WorkingWindows_ThatOnlyTouchTheRange_AreNotInIt()
    {
        var tz = CalendarRules.Zone("UTC");
        var hours = EveryDay(new TimeRange(9 * 60, 10 * 60), new TimeRange(11 * 60, 12 * 60));

        Assert.Empty(CalendarRules.WorkingWindows(hours, tz, Utc(5, 4, 10), Utc(5, 4, 11)));
        Assert.Equal(2, CalendarRules.WorkingWindows(hours, tz, Utc(5, 4, 9, 59), Utc(5, 4, 11, 1)).Count());
    }

    [Fact]
    public void Availability_LastSlotEndsExactlyAtTheRangesEnd_NoneBeyond()
    {
        var interviewer = Interviewer("UTC");

        var slots = CalendarRules.Availability(interviewer, [], Utc(5, 4, 9), Utc(5, 4, 10), TimeSpan.FromMinutes(30), Utc(1, 1, 0));

        Assert.Equal([Utc(5, 4, 9), Utc(5, 4, 9, 15), Utc(5, 4, 9, 30)], slots.Select(s => s.StartsAt));
    }
}
