using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Events;

/// <summary>Booking an interview: what is booked, and what is refused with which code.</summary>
[Collection(EventsApiCollection.Name)]
public sealed class ScheduleTests(SchedulerApiFactory factory)
{
    [Fact]
    public async Task Schedule_Valid_Returns201WithLocationETagAndInterviewerTimezone()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client, new { timezone = "Europe/Berlin" });

        var response = await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9)));

        var body = await ApiAssert.Json(response, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString();
        Assert.Equal($"/api/events/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("scheduled", body.GetProperty("status").GetString());
        Assert.Equal("Europe/Berlin", body.GetProperty("timezone").GetString());
        Assert.Equal(Iso(Monday.AddHours(9)), body.GetProperty("startsAt").GetString());
        Assert.StartsWith("talent.", body.GetProperty("createdBy").GetString());
        var fetched = await ApiAssert.Json(await client.GetAsync($"/api/events/{id}"), HttpStatusCode.OK);
        Assert.Equal(id, fetched.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(0, 60, "endsAt")]      // end = start
    [InlineData(0, 3, "endsAt")]       // under 5 minutes
    [InlineData(0, 8 * 60 + 1, "endsAt")]
    [InlineData(-3 * 24 * 60, 30, "startsAt")] // in the past
    public async Task Schedule_BadTimes_Return400(int startOffsetMinutes, int durationMinutes, string field)
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var start = (startOffsetMinutes < 0 ? DateTime.UtcNow : Monday).AddMinutes(startOffsetMinutes);
        var body = durationMinutes == 60 && startOffsetMinutes == 0
            ? new { interviewerId = interviewer, title = "t", candidateName = "c", candidateEmail = "c@example.com", startsAt = Iso(start), endsAt = Iso(start) }
            : new { interviewerId = interviewer, title = "t", candidateName = "c", candidateEmail = "c@example.com", startsAt = Iso(start), endsAt = Iso(start.AddMinutes(durationMinutes)) };

        var problem = await ApiAssert.Problem(await client.PostAsJsonAsync("/api/events", body), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Schedule_BadFields_Return400()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var start = Iso(Monday.AddHours(9));
        var end = Iso(Monday.AddHours(10));

        var badEmail = await client.PostAsJsonAsync("/api/events", new { interviewerId = interviewer, title = "t", candidateName = "c", candidateEmail = "nope", startsAt = start, endsAt = end });
        var badZone = await client.PostAsJsonAsync("/api/events", new { interviewerId = interviewer, title = "t", candidateName = "c", candidateEmail = "c@example.com", startsAt = start, endsAt = end, timezone = "Nowhere/City" });
        var badUrl = await client.PostAsJsonAsync("/api/events", new { interviewerId = interviewer, title = "t", candidateName = "c", candidateEmail = "c@example.com", startsAt = start, endsAt = end, meetingUrl = "javascript:alert(1)" });
        var longTitle = await client.PostAsJsonAsync("/api/events", new { interviewerId = interviewer, title = new string('t', 201), candidateName = "c", candidateEmail = "c@example.com", startsAt = start, endsAt = end });

        await ApiAssert.Invalid(badEmail, "candidateEmail");
        await ApiAssert.Invalid(badZone, "timezone");
        await ApiAssert.Invalid(badUrl, "meetingUrl");
        await ApiAssert.Invalid(longTitle, "title");
        Assert.Equal(0, (await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/events"), HttpStatusCode.OK)).GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("9999-12-31T12:00:00Z", "9999-12-31T13:00:00Z", "startsAt")]
    [InlineData("0001-01-01T09:00:00Z", "0001-01-01T10:00:00Z", "startsAt")]
    [InlineData("2199-12-31T23:30:00Z", "2200-01-01T00:30:00Z", "endsAt")]
    public async Task Schedule_OutsideTheCalendarRange_Returns400AndBooksNothing(string startsAt, string endsAt, string field)
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client, new
        {
            workingHours = new Dictionary<string, object[]> { ["friday"] = [new { start = "09:00", end = "17:00" }] },
        });

        var problem = await ApiAssert.Problem(await client.PostAsJsonAsync("/api/events",
            new { interviewerId = interviewer, title = "t", candidateName = "c", candidateEmail = "c@example.com", startsAt, endsAt }), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var calendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/calendar"), HttpStatusCode.OK);
        Assert.Empty(calendar.GetProperty("reservations").EnumerateArray());
    }

    [Fact]
    public async Task Schedule_UnknownInterviewer_Returns400WithCode()
    {
        var client = await factory.ClientAs(Roles.Talent);

        var problem = await ApiAssert.Problem(await client.PostAsJsonAsync("/api/events", Booking(Guid.NewGuid().ToString("N"), Monday.AddHours(9))), HttpStatusCode.BadRequest);

        Assert.Equal("unknown_interviewer", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Schedule_Conflicts_Return409WithReasonCodes()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client, new
        {
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = "17:00" }] },
            maxInterviewsPerDay = 2,
            bufferMinutes = 10,
        });
        var first = await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Created);

        var overlap = await ApiAssert.Problem(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(10).AddMinutes(5))), HttpStatusCode.Conflict);
        var exactBuffer = await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(10).AddMinutes(10)));
        var outside = await ApiAssert.Problem(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(16).AddMinutes(30))), HttpStatusCode.Conflict);
        var tuesday = await ApiAssert.Problem(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddDays(1).AddHours(10))), HttpStatusCode.Conflict);
        var third = await ApiAssert.Problem(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(14))), HttpStatusCode.Conflict);

        Assert.Equal("slot_conflict", overlap.GetProperty("code").GetString());
        Assert.Equal(first.GetProperty("id").GetString(), overlap.GetProperty("conflictingEventId").GetString());
        Assert.Equal(HttpStatusCode.Created, exactBuffer.StatusCode);
        Assert.Equal("outside_working_hours", outside.GetProperty("code").GetString());
        Assert.Equal("outside_working_hours", tuesday.GetProperty("code").GetString());
        Assert.Equal("daily_limit_reached", third.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Schedule_InactiveInterviewer_Returns409()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client, new { status = "inactive" });

        var problem = await ApiAssert.Problem(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Conflict);

        Assert.Equal("interviewer_inactive", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Schedule_FiftyConcurrentOverlapping_OneCreatedFortyNineConflicts()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(n =>
            client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(13).AddMinutes(n % 20), 30))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var winner = (await ApiAssert.Json(responses.Single(r => r.StatusCode == HttpStatusCode.Created), HttpStatusCode.Created)).GetProperty("id").GetString();
        var losers = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToArray();
        Assert.Equal(49, losers.Length);
        foreach (var loser in losers)
        {
            // Each refused for the slot, naming the booking that holds it.
            var problem = await ApiAssert.Problem(loser, HttpStatusCode.Conflict);
            Assert.Equal("slot_conflict", problem.GetProperty("code").GetString());
            Assert.Equal(winner, problem.GetProperty("conflictingEventId").GetString());
        }
        var calendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/calendar"), HttpStatusCode.OK);
        Assert.Equal(1, calendar.GetProperty("reservations").GetArrayLength());
        var events = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/events"), HttpStatusCode.OK);
        Assert.Equal(1, events.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Roles_InterviewerCannotBook_AnonymousCannotRead()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var interviewerRole = await factory.ClientAs(Roles.Interviewer);
        using var anonymous = factory.CreateClient();
        var interviewer = await NewInterviewer(talent);

        await ApiAssert.Problem(await interviewerRole.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await anonymous.GetAsync("/api/events"), HttpStatusCode.Unauthorized);
    }
}
