using static Scheduler.Api.Tests.CalendarFeeds.CalendarFeedApi;

namespace Scheduler.Api.Tests.CalendarFeeds;

/// <summary>
/// The feed as an independent parser (Debian's python3-icalendar) reads it: one UID per interview for ever, SEQUENCE
/// rising with each change, cancelled interviews kept (STATUS:CANCELLED) for 30 days, the window of 30 days back and
/// 365 ahead, on SQLite and on PostgreSQL. Each class moves its host's clock, so it has a host of its own.
/// </summary>
public abstract class CalendarFeedContentTests(SchedulerApiFactory factory)
{
    [Fact]
    public async Task Feed_RescheduleAndCancel_KeepTheUid_RaiseSequence_KeepTheCancelledEntry()
    {
        var (staff, id, path) = await InterviewerWithFeed(factory);
        var anonymous = factory.CreateClient();
        var eventId = await Book(staff, Booking(id, InDays(3)));

        var booked = await Parse(await Fetch(anonymous, path));
        Assert.Equal(HttpStatusCode.OK, (await staff.PutAsJsonAsync($"/api/events/{eventId}", Booking(id, InDays(4), "Moved interview"))).StatusCode);
        var moved = await Parse(await Fetch(anonymous, path));
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync($"/api/events/{eventId}/cancel", new { reason = "Candidate withdrew" })).StatusCode);
        var cancelled = await Parse(await Fetch(anonymous, path));

        var (first, second, third) = (booked.Of(eventId)!, moved.Of(eventId)!, cancelled.Of(eventId)!);
        Assert.Equal("CONFIRMED", first.Status);
        Assert.Equal(new DateTimeOffset(InDays(3)), first.Start);
        Assert.Equal(new DateTimeOffset(InDays(4)), second.Start);
        Assert.Equal("Moved interview", second.Summary);
        Assert.True(second.Sequence > first.Sequence, $"SEQUENCE {second.Sequence} after a reschedule, {first.Sequence} before");
        Assert.Equal("CANCELLED", third.Status);
        Assert.True(third.Sequence > second.Sequence, $"SEQUENCE {third.Sequence} after the cancellation, {second.Sequence} before");
        Assert.Single(cancelled.Events);
        Assert.Equal("PT15M", cancelled.Ttl);
        Assert.Equal("PT15M", cancelled.Refresh);
    }

    [Fact]
    public async Task Feed_Window_Covers30DaysBackAnd365Ahead_CancelledLeaveAfter30Days()
    {
        var (staff, id, path) = await InterviewerWithFeed(factory);
        var anonymous = factory.CreateClient();
        var soon = await Book(staff, Booking(id, InDays(10)));
        var later = await Book(staff, Booking(id, InDays(60)));
        var beyond = await Book(staff, Booking(id, InDays(400)));
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/events/{later}/cancel", null)).StatusCode);

        var now = await Parse(await Fetch(anonymous, path));
        ParsedFeed month, sixWeeks;
        try
        {
            factory.Clock.Advance(TimeSpan.FromDays(31));
            month = await Parse(await Fetch(anonymous, path));
            factory.Clock.Advance(TimeSpan.FromDays(14));
            sixWeeks = await Parse(await Fetch(anonymous, path));
        }
        finally
        {
            factory.Clock.Reset();
        }

        Assert.NotNull(now.Of(soon));
        Assert.Equal("CANCELLED", now.Of(later)?.Status);
        Assert.Null(now.Of(beyond));
        Assert.NotNull(month.Of(soon)); // ended 21 days ago
        Assert.Null(month.Of(later)); // cancelled 31 days ago
        Assert.Null(sixWeeks.Of(soon)); // ended 35 days ago
    }

    [Fact]
    public async Task Feed_DeletedInterview_StaysAsCancelledTombstoneFor30Days()
    {
        var (staff, id, path) = await InterviewerWithFeed(factory);
        var anonymous = factory.CreateClient();
        var admin = await factory.ClientAs(Scheduler.Users.Roles.Admin);
        var eventId = await Book(staff, Booking(id, InDays(20)));
        var booked = await Parse(await Fetch(anonymous, path));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/events/{eventId}")).StatusCode);

        var deleted = await Parse(await Fetch(anonymous, path));
        ParsedFeed month;
        try
        {
            factory.Clock.Advance(TimeSpan.FromDays(31));
            month = await Parse(await Fetch(anonymous, path));
        }
        finally
        {
            factory.Clock.Reset();
        }

        Assert.Equal("CONFIRMED", booked.Of(eventId)?.Status);
        var tombstone = deleted.Of(eventId);
        Assert.Equal("CANCELLED", tombstone?.Status);
        Assert.True(tombstone!.Sequence > booked.Of(eventId)!.Sequence, "the deletion raises SEQUENCE");
        Assert.Null(month.Of(eventId));
    }
}

public sealed class SqliteCalendarFeedContentTests(SchedulerApiFactory factory) : CalendarFeedContentTests(factory), IClassFixture<SchedulerApiFactory>;

public sealed class PostgreSqlCalendarFeedContentTests(PostgreSqlApiFactory factory) : CalendarFeedContentTests(factory), IClassFixture<PostgreSqlApiFactory>;
