using Scheduler.Users;
using static Scheduler.Api.Tests.CalendarFeeds.CalendarFeedApi;

namespace Scheduler.Api.Tests.CalendarFeeds;

/// <summary>Who sees a feed's address, what rotating it does, and the feed's revalidation.</summary>
public sealed class CalendarFeedAccessTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task FeedUrl_StaffAndOwnInterviewer_SeeIt_OthersAreRefused()
    {
        var (staff, id, path) = await InterviewerWithFeed(factory);
        var (_, other, _) = await InterviewerWithFeed(factory);
        var own = await factory.ClientAs(Roles.Interviewer, interviewerId: id);
        var admin = await factory.ClientAs(Roles.Admin);

        Assert.Equal(path, await FeedPath(own, id));
        Assert.Equal(path, await FeedPath(admin, id));
        Assert.Matches("^/calendar/[A-Za-z0-9_-]{43}\\.ics$", path);
        await ApiAssert.Problem(await own.GetAsync($"/api/interviewers/{other}/calendar-feed"), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await own.PostAsync($"/api/interviewers/{other}/calendar-feed/rotate", null), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await factory.CreateClient().GetAsync($"/api/interviewers/{id}/calendar-feed"), HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(await staff.GetAsync("/api/interviewers/00000000000000000000000000000000/calendar-feed"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rotate_OldUrlAnswers404_NewUrlServes_AndIsAudited()
    {
        var (staff, id, before) = await InterviewerWithFeed(factory);
        var own = await factory.ClientAs(Roles.Interviewer, interviewerId: id);
        var anonymous = factory.CreateClient();
        await Fetch(anonymous, before);

        var after = await FeedPath(own, id, rotate: true);

        Assert.NotEqual(before, after);
        await ApiAssert.Problem(await anonymous.GetAsync(before), HttpStatusCode.NotFound);
        await Fetch(anonymous, after);
        Assert.Equal(after, await FeedPath(staff, id));
        var admin = await factory.ClientAs(Roles.Admin);
        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={id}&action=calendar_feed_rotated"), HttpStatusCode.OK);
        var entry = Assert.Single(audit.GetProperty("data").EnumerateArray());
        Assert.DoesNotContain(after.Split('/')[^1].Split('.')[0], entry.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("disabled")]
    [InlineData("unlinked")]
    [InlineData("deleted")]
    public async Task InterviewerUser_LosesTheInterviewer_ItsFeedUrlAnswers404_AndTheNewOneServes(string change)
    {
        var (staff, id, before) = await InterviewerWithFeed(factory);
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"leaving.{Guid.NewGuid():N}@example.com";
        var user = await ApiAssert.Json(await admin.PostAsJsonAsync("/api/users",
            new { email, name = "Leaving Interviewer", password = "a-long-enough-password-2", roles = new[] { Roles.Interviewer }, interviewerId = id }),
            HttpStatusCode.Created);
        var userId = user.GetProperty("id").GetString()!;
        using var anonymous = factory.CreateClient();
        await Fetch(anonymous, before);

        var response = change switch
        {
            "disabled" => await admin.PutAsJsonAsync($"/api/users/{userId}",
                new { name = "Leaving Interviewer", roles = new[] { Roles.Interviewer }, interviewerId = id, disabled = true }),
            "unlinked" => await admin.PutAsJsonAsync($"/api/users/{userId}", new { name = "Leaving Interviewer", roles = new[] { Roles.Talent } }),
            _ => await admin.DeleteAsync($"/api/users/{userId}"),
        };

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await ApiAssert.Problem(await anonymous.GetAsync(before), HttpStatusCode.NotFound);
        var after = await FeedPath(staff, id);
        Assert.NotEqual(before, after);
        await Fetch(anonymous, after);
    }

    [Fact]
    public async Task Feed_UnknownOrMalformedToken_Answers404()
    {
        var anonymous = factory.CreateClient();

        await ApiAssert.Problem(await anonymous.GetAsync($"/calendar/{new string('a', 43)}.ics"), HttpStatusCode.NotFound);
        await ApiAssert.Problem(await anonymous.GetAsync("/calendar/short.ics"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Feed_IfNoneMatchCurrent_Answers304_UntilAnInterviewChanges()
    {
        var (staff, id, path) = await InterviewerWithFeed(factory);
        var anonymous = factory.CreateClient();
        var first = await anonymous.GetAsync(path);
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await anonymous.SendAsync(again);
        await Book(staff, Booking(id, InDays(5)));
        using var afterBooking = new HttpRequestMessage(HttpMethod.Get, path);
        afterBooking.Headers.IfNoneMatch.Add(etag);
        var changed = await anonymous.SendAsync(afterBooking);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Contains("BEGIN:VEVENT", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventIcs_SameAccessAsTheEvent_SameUidAndSequenceAsTheFeed()
    {
        var (staff, id, path) = await InterviewerWithFeed(factory);
        var (_, other, _) = await InterviewerWithFeed(factory);
        var mine = await Book(staff, Booking(id, InDays(6)));
        var theirs = await Book(staff, Booking(other, InDays(6)));
        var own = await factory.ClientAs(Roles.Interviewer, interviewerId: id);

        var file = await own.GetAsync($"/api/events/{mine}/ics");
        var refused = await own.GetAsync($"/api/events/{theirs}/ics");

        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("text/calendar", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        await ApiAssert.Problem(refused, HttpStatusCode.NotFound);
        var single = Assert.Single((await Parse(await file.Content.ReadAsStringAsync())).Events);
        var inFeed = (await Parse(await Fetch(factory.CreateClient(), path))).Of(mine)!;
        Assert.Equal((inFeed.Uid, inFeed.Sequence), (single.Uid, single.Sequence));
    }

    [Fact]
    public async Task Feed_LeavesOutTheCandidate_ByDefault()
    {
        var (staff, id, path) = await InterviewerWithFeed(factory);
        await Book(staff, Booking(id, InDays(7)));

        var ics = await Fetch(factory.CreateClient(), path);

        Assert.DoesNotContain("Casey", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("casey.candidate@example.com", ics, StringComparison.Ordinal);
    }
}
