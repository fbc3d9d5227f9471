using System.Net.Http.Headers;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Events;

public sealed class EventsApiTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private static readonly DateTime Monday = NextMonday();

    private static DateTime NextMonday()
    {
        var day = DateTime.UtcNow.Date.AddDays(7);
        while (day.DayOfWeek != DayOfWeek.Monday)
        {
            day = day.AddDays(1);
        }
        return DateTime.SpecifyKind(day, DateTimeKind.Utc);
    }

    private static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private async Task<string> NewInterviewer(HttpClient client, object? settings = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Events Person",
            ["email"] = $"events.{Guid.NewGuid():N}@example.com",
            ["timezone"] = "UTC",
        };
        foreach (var property in settings?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(settings);
        }
        var created = await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", body), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private static object Booking(string interviewerId, DateTime start, int minutes = 60, string title = "Technical interview", string candidate = "cand@example.com") => new
    {
        interviewerId,
        title,
        candidateName = "Casey Candidate",
        candidateEmail = candidate,
        startsAt = Iso(start),
        endsAt = Iso(start.AddMinutes(minutes)),
        meetingUrl = "https://meet.example.com/abc",
    };

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

        await ApiAssert.Problem(badEmail, HttpStatusCode.BadRequest);
        await ApiAssert.Problem(badZone, HttpStatusCode.BadRequest);
        await ApiAssert.Problem(badUrl, HttpStatusCode.BadRequest);
        await ApiAssert.Problem(longTitle, HttpStatusCode.BadRequest);
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
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var calendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/calendar"), HttpStatusCode.OK);
        Assert.Equal(1, calendar.GetProperty("reservations").GetArrayLength());
        var events = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/events"), HttpStatusCode.OK);
        Assert.Equal(1, events.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Schedule_RetriedWithSameIdempotencyKey_ReturnsTheFirstResult()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> Send(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var first = await ApiAssert.Json(await Send(Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Created);
        var retry = await ApiAssert.Json(await Send(Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Created);
        var reused = await ApiAssert.Problem(await Send(Booking(interviewer, Monday.AddHours(11))), HttpStatusCode.Conflict);

        Assert.Equal(first.GetProperty("id").GetString(), retry.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("createdAt").GetString(), retry.GetProperty("createdAt").GetString());
        Assert.Equal("idempotency_key_reused", reused.GetProperty("code").GetString());
        var calendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/calendar"), HttpStatusCode.OK);
        Assert.Equal(1, calendar.GetProperty("reservations").GetArrayLength());

        // Once deleted, a retry is told so, not that its booking differs.
        var admin = await factory.ClientAs(Roles.Admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/events/{first.GetProperty("id").GetString()}")).StatusCode);
        var afterDelete = await ApiAssert.Problem(await Send(Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Conflict);
        Assert.Equal("event_deleted", afterDelete.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Schedule_TimeWithoutUtcOffset_Returns400NamingIt_AndAnOffsetIsHonoured()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var local = Monday.AddHours(9).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        object Body(string startsAt, string endsAt) => new
        {
            interviewerId = interviewer, title = "Offsets", candidateName = "C", candidateEmail = "c@example.com", startsAt, endsAt,
        };

        var withoutOffset = await client.PostAsJsonAsync("/api/events", Body(local, Iso(Monday.AddHours(10))));
        var withOffset = await client.PostAsJsonAsync("/api/events", Body(local + "+02:00", Iso(Monday.AddHours(8))));

        var problem = await ApiAssert.Problem(withoutOffset, HttpStatusCode.BadRequest);
        Assert.Contains("offset", Assert.Single(problem.GetProperty("errors").GetProperty("startsAt").EnumerateArray()).GetString(), StringComparison.Ordinal);
        var booked = await ApiAssert.Json(withOffset, HttpStatusCode.Created);
        Assert.Equal(Iso(Monday.AddHours(7)), booked.GetProperty("startsAt").GetString());
    }

    [Theory]
    [InlineData("/api/events?from={0}", "2099-01-01T09:00:00")]
    [InlineData("/api/interviewers/{1}/availability?from={0}&to=2099-01-02T00:00:00Z&durationMinutes=30", "2099-01-01T09:00:00")]
    [InlineData("/api/audit-logs?from={0}", "2099-01-01T09:00:00")]
    [InlineData("/api/events?from={0}", "Thu 2099-01-01 09:00")]
    [InlineData("/api/events?from={0}", "2099-01-01")]
    public async Task Query_TimeWithoutUtcOffset_Returns400NamingIt(string template, string value)
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(admin);

        var response = await admin.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, value, interviewer));

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("offset", Assert.Single(problem.GetProperty("errors").GetProperty("from").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2099-01-01T09:00:00Z")]
    [InlineData("2099-01-01T10:00:00.5%2B01:00")]
    [InlineData("2099-01-01T04:00-05:00")]
    [InlineData("2099-01-01T10:00:00%2B0100")]
    public async Task Query_TimeWithItsOffset_IsAccepted(string value)
    {
        var client = await factory.ClientAs(Roles.Talent);

        var response = await client.GetAsync($"/api/events?from={value}");

        await ApiAssert.Json(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task UpdateInterviewer_HoursThatAnUpcomingInterviewNoLongerFits_Returns409ListingIt_UnlessKeepBookings()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var email = $"hours.{Guid.NewGuid():N}@example.com";
        object Profile(string start, string end, int buffer = 0) => new
        {
            name = "Hours Person", email, timezone = "UTC", bufferMinutes = buffer,
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start, end }] },
        };
        var interviewer = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", Profile("09:00", "17:00")), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        var booked = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(10))), HttpStatusCode.Created))
            .GetProperty("id").GetString();

        var wider = await client.PutAsJsonAsync($"/api/interviewers/{interviewer}", Profile("08:00", "18:00"));
        var later = await client.PutAsJsonAsync($"/api/interviewers/{interviewer}", Profile("12:00", "17:00"));
        var unchanged = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}"), HttpStatusCode.OK);
        var kept = await client.PutAsJsonAsync($"/api/interviewers/{interviewer}?keepBookings=true", Profile("12:00", "17:00"));

        Assert.Equal(HttpStatusCode.OK, wider.StatusCode);
        var problem = await ApiAssert.Problem(later, HttpStatusCode.Conflict);
        Assert.Equal("bookings_outside_settings", problem.GetProperty("code").GetString());
        Assert.Equal([booked], problem.GetProperty("upcomingEventIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("08:00", unchanged.GetProperty("workingHours").GetProperty("monday")[0].GetProperty("start").GetString());
        Assert.Equal("12:00", (await ApiAssert.Json(kept, HttpStatusCode.OK)).GetProperty("workingHours").GetProperty("monday")[0].GetProperty("start").GetString());
        var stillBooked = await ApiAssert.Json(await client.GetAsync($"/api/events/{booked}"), HttpStatusCode.OK);
        Assert.Equal("scheduled", stillBooked.GetProperty("status").GetString());
        // The interview kept outside the hours does not block a later change that has nothing to do with it.
        await ApiAssert.Json(await client.PutAsJsonAsync($"/api/interviewers/{interviewer}", Profile("12:00", "17:00", buffer: 15)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Update_PastEventToAnotherInterviewer_Returns400AndChangesNothing()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var other = await NewInterviewer(client);
        var soon = DateTime.UtcNow.AddMinutes(10);
        var id = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(interviewer, soon, 30)), HttpStatusCode.Created)).GetProperty("id").GetString();

        factory.Clock.Advance(TimeSpan.FromHours(1));
        HttpResponseMessage moved;
        try
        {
            moved = await client.PutAsJsonAsync($"/api/events/{id}", Booking(other, soon, 30));
        }
        finally
        {
            factory.Clock.Reset();
        }

        Assert.Equal("in_the_past", (await ApiAssert.Problem(moved, HttpStatusCode.BadRequest)).GetProperty("code").GetString());
        var calendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{other}/calendar"), HttpStatusCode.OK);
        Assert.Equal(0, calendar.GetProperty("reservations").GetArrayLength());
    }

    [Fact]
    public async Task Update_Reschedule_WithIfMatch_AndStaleIfMatchReturns412()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var other = await NewInterviewer(client);
        var id = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Created)).GetProperty("id").GetString();

        using var move = new HttpRequestMessage(HttpMethod.Put, $"/api/events/{id}") { Content = JsonContent.Create(Booking(other, Monday.AddHours(11))) };
        move.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var moved = await ApiAssert.Json(await client.SendAsync(move), HttpStatusCode.OK);
        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/events/{id}") { Content = JsonContent.Create(Booking(other, Monday.AddHours(12))) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        await ApiAssert.Problem(await client.SendAsync(stale), HttpStatusCode.PreconditionFailed);

        Assert.Equal(other, moved.GetProperty("interviewerId").GetString());
        Assert.Equal(2, moved.GetProperty("version").GetInt64());
        var oldCalendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/calendar"), HttpStatusCode.OK);
        var newCalendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{other}/calendar"), HttpStatusCode.OK);
        Assert.Equal(0, oldCalendar.GetProperty("reservations").GetArrayLength());
        Assert.Equal(Iso(Monday.AddHours(11)), newCalendar.GetProperty("reservations")[0].GetProperty("startsAt").GetString());
    }

    [Fact]
    public async Task Update_MoveIntoConflict_Returns409AndOldBookingStands()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var first = await NewInterviewer(client);
        var second = await NewInterviewer(client);
        var id = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(first, Monday.AddHours(9))), HttpStatusCode.Created)).GetProperty("id").GetString();
        await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(second, Monday.AddHours(9))), HttpStatusCode.Created);

        await ApiAssert.Problem(await client.PutAsJsonAsync($"/api/events/{id}", Booking(second, Monday.AddHours(9))), HttpStatusCode.Conflict);

        var current = await ApiAssert.Json(await client.GetAsync($"/api/events/{id}"), HttpStatusCode.OK);
        Assert.Equal(first, current.GetProperty("interviewerId").GetString());
        Assert.Equal(1, current.GetProperty("version").GetInt64());
        var calendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{first}/calendar"), HttpStatusCode.OK);
        Assert.Equal(id, calendar.GetProperty("reservations")[0].GetProperty("eventId").GetString());
    }

    [Fact]
    public async Task CancelCompleteDelete_Lifecycle()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(talent);
        var soon = DateTime.UtcNow.AddMinutes(10);
        var toCancel = (await ApiAssert.Json(await talent.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Created)).GetProperty("id").GetString();
        var toComplete = (await ApiAssert.Json(await talent.PostAsJsonAsync("/api/events", Booking(interviewer, soon, 30)), HttpStatusCode.Created)).GetProperty("id").GetString();

        var cancelled = await ApiAssert.Json(await talent.PostAsJsonAsync($"/api/events/{toCancel}/cancel", new { reason = "position filled" }), HttpStatusCode.OK);
        var cancelAgain = await talent.PostAsJsonAsync($"/api/events/{toCancel}/cancel", new { });
        var rescheduleCancelled = await talent.PutAsJsonAsync($"/api/events/{toCancel}", Booking(interviewer, Monday.AddHours(10)));
        var early = await talent.PostAsync($"/api/events/{toComplete}/complete", null);
        factory.Clock.Advance(TimeSpan.FromMinutes(12));
        HttpResponseMessage completed;
        try
        {
            completed = await talent.PostAsync($"/api/events/{toComplete}/complete", null);
        }
        finally
        {
            factory.Clock.Reset();
        }
        var talentDelete = await talent.DeleteAsync($"/api/events/{toCancel}");
        var adminDelete = await admin.DeleteAsync($"/api/events/{toCancel}");

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("position filled", cancelled.GetProperty("cancellationReason").GetString());
        Assert.Equal("event_closed", (await ApiAssert.Problem(cancelAgain, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal("event_closed", (await ApiAssert.Problem(rescheduleCancelled, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal("not_started", (await ApiAssert.Problem(early, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal("completed", (await ApiAssert.Json(completed, HttpStatusCode.OK)).GetProperty("status").GetString());
        await ApiAssert.Problem(talentDelete, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, adminDelete.StatusCode);
        await ApiAssert.Problem(await admin.GetAsync($"/api/events/{toCancel}"), HttpStatusCode.NotFound);

        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityType=event&entityId={toCancel}"), HttpStatusCode.OK);
        Assert.Equal(["deleted", "cancelled", "scheduled"], audit.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        var completeAudit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={toComplete}"), HttpStatusCode.OK);
        Assert.Equal(["completed", "scheduled"], completeAudit.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Update_AuditsRescheduleAndEditSeparately()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(talent);
        var id = (await ApiAssert.Json(await talent.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Created)).GetProperty("id").GetString();

        await ApiAssert.Json(await talent.PutAsJsonAsync($"/api/events/{id}", Booking(interviewer, Monday.AddHours(10))), HttpStatusCode.OK);
        await ApiAssert.Json(await talent.PutAsJsonAsync($"/api/events/{id}", Booking(interviewer, Monday.AddHours(10), title: "Renamed")), HttpStatusCode.OK);

        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={id}"), HttpStatusCode.OK);
        var entries = audit.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["updated", "rescheduled", "scheduled"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(Iso(Monday.AddHours(10)), entries[1].GetProperty("changes").GetProperty("startsAt").GetProperty("to").GetString());
        Assert.Equal("Renamed", entries[0].GetProperty("changes").GetProperty("title").GetProperty("to").GetString());
    }

    [Fact]
    public async Task List_Q_MatchesTitleOrCandidateEmail_IgnoringCase()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var tag = Guid.NewGuid().ToString("N")[..10];
        async Task<string> Book(object booking) =>
            (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", booking), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var byTitle = await Book(Booking(interviewer, Monday.AddHours(9), title: $"Système design {tag}"));
        var byEmail = await Book(Booking(interviewer, Monday.AddHours(12), candidate: $"cand.{tag}@example.com"));
        await Book(Booking(interviewer, Monday.AddHours(15)));

        static string[] Ids(JsonElement body) => [.. body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
        var both = await ApiAssert.Json(await client.GetAsync($"/api/events?q={tag.ToUpperInvariant()}"), HttpStatusCode.OK);
        var title = await ApiAssert.Json(await client.GetAsync($"/api/events?q={Uri.EscapeDataString($"SYSTÈME DESIGN {tag}")}"), HttpStatusCode.OK);
        var ofInterviewer = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/events?q={tag}"), HttpStatusCode.OK);

        Assert.Equal([byTitle, byEmail], Ids(both));
        Assert.Equal(2, both.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal([byTitle], Ids(title));
        Assert.Equal([byTitle, byEmail], Ids(ofInterviewer));
    }

    [Fact]
    public async Task List_FiltersByInterviewerStatusCandidateAndTime()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var candidate = $"filter.{Guid.NewGuid():N}@example.com";
        var a = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9), candidate: candidate)), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var b = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(12), candidate: candidate)), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var c = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddDays(1).AddHours(9))), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await ApiAssert.Json(await client.PostAsJsonAsync($"/api/events/{b}/cancel", new { }), HttpStatusCode.OK);

        static string[] Ids(JsonElement body) => [.. body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
        var all = await ApiAssert.Json(await client.GetAsync($"/api/events?interviewerId={interviewer}"), HttpStatusCode.OK);
        var scheduled = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/events?status=scheduled"), HttpStatusCode.OK);
        var byCandidate = await ApiAssert.Json(await client.GetAsync($"/api/events?candidateEmail={Uri.EscapeDataString(candidate.ToUpperInvariant())}"), HttpStatusCode.OK);
        var mondayOnly = await ApiAssert.Json(await client.GetAsync($"/api/events?interviewerId={interviewer}&from={Iso(Monday)}&to={Iso(Monday.AddDays(1))}"), HttpStatusCode.OK);
        var newestFirst = await ApiAssert.Json(await client.GetAsync($"/api/events?interviewerId={interviewer}&sort=-startsAt"), HttpStatusCode.OK);

        Assert.Equal([a, b, c], Ids(all));
        Assert.Equal([a, c], Ids(scheduled));
        Assert.Equal([a, b], Ids(byCandidate));
        Assert.Equal([a, b], Ids(mondayOnly));
        Assert.Equal([c, b, a], Ids(newestFirst));
        await ApiAssert.Problem(await client.GetAsync("/api/events?status=postponed"), HttpStatusCode.BadRequest);
        await ApiAssert.Problem(await client.GetAsync($"/api/interviewers/{Guid.NewGuid():N}/events"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Availability_ReturnsFreeSlots_AndRejectsLongWindows()
    {
        var client = await factory.ClientAs(Roles.Interviewer);
        var talent = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(talent, new
        {
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = "11:00" }] },
            bufferMinutes = 15,
        });
        await ApiAssert.Json(await talent.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9).AddMinutes(30), 30)), HttpStatusCode.Created);

        var body = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/availability?from={Iso(Monday)}&to={Iso(Monday.AddDays(1))}&durationMinutes=30"), HttpStatusCode.OK);
        var tooLong = await client.GetAsync($"/api/interviewers/{interviewer}/availability?from={Iso(Monday)}&to={Iso(Monday.AddDays(32))}&durationMinutes=30");
        var noDuration = await client.GetAsync($"/api/interviewers/{interviewer}/availability?from={Iso(Monday)}&to={Iso(Monday.AddDays(1))}");

        Assert.Equal(
            [Iso(Monday.AddHours(10).AddMinutes(15)), Iso(Monday.AddHours(10).AddMinutes(30))],
            body.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("startsAt").GetString()));
        await ApiAssert.Problem(tooLong, HttpStatusCode.BadRequest);
        await ApiAssert.Problem(noDuration, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-02T00:00:00Z", "from")]
    [InlineData("9999-12-30T00:00:00Z", "9999-12-31T00:00:00Z", "from")]
    public async Task Availability_OutsideTheCalendarRange_Returns400(string from, string to, string field)
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client, new
        {
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = "11:00" }] },
        });

        var problem = await ApiAssert.Problem(
            await client.GetAsync($"/api/interviewers/{interviewer}/availability?from={from}&to={to}&durationMinutes=30"), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task DeleteInterviewer_WithUpcomingEvents_Returns409ListingThem_UnlessCancelUpcoming()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(admin);
        var id = (await ApiAssert.Json(await admin.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Created)).GetProperty("id").GetString();

        var blocked = await ApiAssert.Problem(await admin.DeleteAsync($"/api/interviewers/{interviewer}"), HttpStatusCode.Conflict);
        var deactivate = await admin.PutAsJsonAsync($"/api/interviewers/{interviewer}", new { name = "Events Person", email = "x" + Guid.NewGuid().ToString("N") + "@example.com", status = "inactive" });
        var deleted = await admin.DeleteAsync($"/api/interviewers/{interviewer}?cancelUpcoming=true");

        Assert.Equal("has_upcoming_events", blocked.GetProperty("code").GetString());
        Assert.Equal([id], blocked.GetProperty("upcomingEventIds").EnumerateArray().Select(e => e.GetString()));
        await ApiAssert.Problem(deactivate, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var cancelled = await ApiAssert.Json(await admin.GetAsync($"/api/events/{id}"), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={id}&action=cancelled"), HttpStatusCode.OK);
        Assert.Equal(1, audit.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("delete-stale")]
    [InlineData("deactivate-stale")]
    [InlineData("deactivate-taken-email")]
    public async Task ChangeWithCancelUpcoming_RefusedChange_CancelsNothing(string attempt)
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(admin);
        var eventId = (await ApiAssert.Json(await admin.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Created))
            .GetProperty("id").GetString();
        var takenEmail = $"taken.{Guid.NewGuid():N}@example.com";
        await ApiAssert.Json(await admin.PostAsJsonAsync("/api/interviewers", new { name = "Holder", email = takenEmail }), HttpStatusCode.Created);
        var current = await ApiAssert.Json(await admin.GetAsync($"/api/interviewers/{interviewer}"), HttpStatusCode.OK);
        var email = attempt == "deactivate-taken-email" ? takenEmail : current.GetProperty("email").GetString();
        using var request = attempt == "delete-stale"
            ? new HttpRequestMessage(HttpMethod.Delete, $"/api/interviewers/{interviewer}?cancelUpcoming=true")
            : new HttpRequestMessage(HttpMethod.Put, $"/api/interviewers/{interviewer}?cancelUpcoming=true")
            {
                Content = JsonContent.Create(new { name = "Events Person", email, status = "inactive" }),
            };
        if (attempt != "deactivate-taken-email")
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"7\""));
        }

        var refused = await admin.SendAsync(request);

        await ApiAssert.Problem(refused, attempt == "deactivate-taken-email" ? HttpStatusCode.Conflict : HttpStatusCode.PreconditionFailed);
        var booked = await ApiAssert.Json(await admin.GetAsync($"/api/events/{eventId}"), HttpStatusCode.OK);
        Assert.Equal("scheduled", booked.GetProperty("status").GetString());
        var after = await ApiAssert.Json(await admin.GetAsync($"/api/interviewers/{interviewer}"), HttpStatusCode.OK);
        Assert.Equal("active", after.GetProperty("status").GetString());
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

    [Fact]
    public async Task Interviewer_WorkingHoursValidation_Returns400()
    {
        var client = await factory.ClientAs(Roles.Talent);

        async Task<HttpStatusCode> Create(object workingHours, int? buffer = null, int? max = null) => (await client.PostAsJsonAsync("/api/interviewers",
            new { name = "Hours", email = $"h.{Guid.NewGuid():N}@example.com", workingHours, bufferMinutes = buffer, maxInterviewsPerDay = max })).StatusCode;

        Assert.Equal(HttpStatusCode.BadRequest, await Create(new Dictionary<string, object[]> { ["funday"] = [new { start = "09:00", end = "17:00" }] }));
        Assert.Equal(HttpStatusCode.BadRequest, await Create(new Dictionary<string, object[]> { ["monday"] = [new { start = "17:00", end = "09:00" }] }));
        Assert.Equal(HttpStatusCode.BadRequest, await Create(new Dictionary<string, object[]> { ["monday"] = [new { start = "9am", end = "17:00" }] }));
        Assert.Equal(HttpStatusCode.BadRequest, await Create(new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = "12:00" }, new { start = "11:00", end = "13:00" }] }));
        Assert.Equal(HttpStatusCode.BadRequest, await Create(new Dictionary<string, object[]>(), buffer: 121));
        Assert.Equal(HttpStatusCode.BadRequest, await Create(new Dictionary<string, object[]>(), max: 0));
        Assert.Equal(HttpStatusCode.Created, await Create(new Dictionary<string, object[]> { ["sunday"] = [new { start = "00:00", end = "24:00" }] }, buffer: 120, max: 1));
    }
}
