using System.Net.Http.Headers;
using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;

namespace Scheduler.Api.Tests.Events;

/// <summary>An interviewer's calendar settings, and changes to an interviewer that has upcoming interviews.</summary>
[Collection(EventsApiCollection.Name)]
public sealed class InterviewerSettingsTests(SchedulerApiFactory factory)
{
    [Fact]
    public async Task UpdateInterviewer_HoursThatAnUpcomingInterviewNoLongerFits_Returns409ListingIt_UnlessKeepBookings()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var email = $"hours.{Guid.NewGuid():N}@example.com";
        object Profile(string start, string end, int buffer = 0) => new
        {
            name = "Hours Person",
            email,
            timezone = "UTC",
            bufferMinutes = buffer,
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start, end }] },
        };
        var interviewer = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", Profile("09:00", "17:00")), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        var booked = await Book(client, Booking(interviewer, Monday.AddHours(10)));

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
    public async Task DeleteInterviewer_WithUpcomingEvents_Returns409ListingThem_UnlessCancelUpcoming()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(admin);
        var id = await Book(admin, Booking(interviewer, Monday.AddHours(9)));

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

    [Fact]
    public async Task DeleteInterviewer_CancelUpcomingThenItsOwnWriteFails_Returns503InDoubt_SayingWhatWasCancelled()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(admin);
        var eventId = await Book(admin, Booking(interviewer, Monday.AddHours(11)));
        // The interviewer's deletion writes its read-model row in its transaction: a trigger makes that write fail.
        var trigger = "planted_" + interviewer;
        await Sql($"""
            CREATE TRIGGER {trigger} BEFORE UPDATE ON interviewers WHEN new.id = '{interviewer}' AND new.deleted = 1
            BEGIN SELECT json('planted fault'); END
            """);
        HttpResponseMessage deleted;
        try
        {
            deleted = await admin.DeleteAsync($"/api/interviewers/{interviewer}?cancelUpcoming=true");
        }
        finally
        {
            await Sql($"DROP TRIGGER {trigger}");
        }

        // Not a 500, and not "nothing changed": the cancellation stands and cannot be undone.
        var problem = await ApiAssert.Problem(deleted, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("change_in_doubt", problem.GetProperty("code").GetString());
        Assert.StartsWith("1 upcoming interview(s) were cancelled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var cancelled = await ApiAssert.Json(await admin.GetAsync($"/api/events/{eventId}"), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        await ApiAssert.Json(await admin.GetAsync($"/api/interviewers/{interviewer}"), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/interviewers/{interviewer}?cancelUpcoming=true")).StatusCode);
    }

    private async Task Sql(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Theory]
    [InlineData("delete-stale")]
    [InlineData("deactivate-stale")]
    [InlineData("deactivate-taken-email")]
    public async Task ChangeWithCancelUpcoming_RefusedChange_CancelsNothing(string attempt)
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(admin);
        var eventId = await Book(admin, Booking(interviewer, Monday.AddHours(9)));
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
