using System.Net.Http.Headers;
using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Events;

/// <summary>Editing and rescheduling an interview, also to another interviewer; on any failure the old booking stands.</summary>
[Collection(EventsApiCollection.Name)]
public sealed class RescheduleTests(SchedulerApiFactory factory)
{
    [Fact]
    public async Task Update_PastEventToAnotherInterviewer_Returns400AndChangesNothing()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var other = await NewInterviewer(client);
        var soon = DateTime.UtcNow.AddMinutes(10);
        var id = await Book(client, Booking(interviewer, soon, 30));

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
        var id = await Book(client, Booking(interviewer, Monday.AddHours(9)));

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
        var id = await Book(client, Booking(first, Monday.AddHours(9)));
        await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", Booking(second, Monday.AddHours(9))), HttpStatusCode.Created);

        await ApiAssert.Problem(await client.PutAsJsonAsync($"/api/events/{id}", Booking(second, Monday.AddHours(9))), HttpStatusCode.Conflict);

        var current = await ApiAssert.Json(await client.GetAsync($"/api/events/{id}"), HttpStatusCode.OK);
        Assert.Equal(first, current.GetProperty("interviewerId").GetString());
        Assert.Equal(1, current.GetProperty("version").GetInt64());
        var calendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{first}/calendar"), HttpStatusCode.OK);
        Assert.Equal(id, calendar.GetProperty("reservations")[0].GetProperty("eventId").GetString());
    }

    [Fact]
    public async Task Update_AuditsRescheduleAndEditSeparately()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(talent);
        var id = await Book(talent, Booking(interviewer, Monday.AddHours(9)));

        await ApiAssert.Json(await talent.PutAsJsonAsync($"/api/events/{id}", Booking(interviewer, Monday.AddHours(10))), HttpStatusCode.OK);
        await ApiAssert.Json(await talent.PutAsJsonAsync($"/api/events/{id}", Booking(interviewer, Monday.AddHours(10), title: "Renamed")), HttpStatusCode.OK);

        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={id}"), HttpStatusCode.OK);
        var entries = audit.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["updated", "rescheduled", "scheduled"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(Iso(Monday.AddHours(10)), entries[1].GetProperty("changes").GetProperty("startsAt").GetProperty("to").GetString());
        Assert.Equal("Renamed", entries[0].GetProperty("changes").GetProperty("title").GetProperty("to").GetString());
    }
}
