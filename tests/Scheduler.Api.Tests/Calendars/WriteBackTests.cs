using Microsoft.Extensions.DependencyInjection;
using Scheduler.Api.Tests.Events;
using Scheduler.Grains.Calendars;
using Scheduler.Grains.Persistence;
using Scheduler.Users;
using static Scheduler.Api.Tests.Calendars.CalendarFixtures;

namespace Scheduler.Api.Tests.Calendars;

/// <summary>
/// Write-back against a real CalDAV server (Radicale): each interview of an interviewer with a write-back calendar is
/// PUT at <c>&lt;uid&gt;.ics</c> when booked, updated in place (same UID, SEQUENCE up) when rescheduled, and deleted
/// when cancelled or moved to another interviewer; a push repeated after a crash leaves one event.
/// </summary>
[Collection(CalendarSyncCollection.Name)]
public sealed class WriteBackTests(CalendarSyncFactory factory)
{
    private static readonly DateTime Day = EventsApi.Monday.AddDays(8);

    [Fact]
    public async Task WriteBack_BookRescheduleCancel_AppearsUpdatesInPlaceAndLeavesTheCalendar()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var (interviewerId, url, calendarId) = await WriteBackInterviewer(client, "wb-life");

        var eventId = await EventsApi.Book(client, EventsApi.Booking(interviewerId, BerlinUtc(Day, 10)));
        var resource = CalDavWriter.ResourceUrl(url, eventId);
        var booked = await Until(resource, body => body.Contains("SEQUENCE:0", StringComparison.Ordinal));
        Assert.Contains($"UID:{eventId}@scheduler", booked, StringComparison.Ordinal);
        Assert.Contains($"DTSTART:{BerlinUtc(Day, 10):yyyyMMdd'T'HHmmss'Z'}", booked, StringComparison.Ordinal);
        Assert.DoesNotContain("METHOD:", booked, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/events/{eventId}", EventsApi.Booking(interviewerId, BerlinUtc(Day, 14)))).StatusCode);
        var moved = await Until(resource, body => body.Contains("SEQUENCE:1", StringComparison.Ordinal));
        Assert.Contains($"UID:{eventId}@scheduler", moved, StringComparison.Ordinal);
        Assert.Contains($"DTSTART:{BerlinUtc(Day, 14):yyyyMMdd'T'HHmmss'Z'}", moved, StringComparison.Ordinal);
        Assert.Single(await factory.Radicale.Resources(url));

        var linked = await Linked(client, interviewerId, calendarId);
        Assert.True(linked.GetProperty("writeBack").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, linked.GetProperty("lastPushedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, linked.GetProperty("lastPushError").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/events/{eventId}/cancel", new { reason = "Withdrawn" })).StatusCode);
        await UntilGone(resource);
        Assert.Empty(await factory.Radicale.Resources(url));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(factory.Radicale.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteBack_WrittenInterview_DoesNotBlockItsOwnInterviewer()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var (interviewerId, url, calendarId) = await WriteBackInterviewer(client, "wb-self");
        var eventId = await EventsApi.Book(client, EventsApi.Booking(interviewerId, BerlinUtc(Day.AddDays(1), 10)));
        await Until(CalDavWriter.ResourceUrl(url, eventId), _ => true);

        var synced = await SyncNow(client, interviewerId, calendarId);

        Assert.Equal(JsonValueKind.Null, synced.GetProperty("lastError").ValueKind);
        Assert.Equal(0, synced.GetProperty("busyCount").GetInt32());
        var rescheduled = await client.PutAsJsonAsync($"/api/events/{eventId}", EventsApi.Booking(interviewerId, BerlinUtc(Day.AddDays(1), 10).AddMinutes(30)));
        Assert.Equal(HttpStatusCode.OK, rescheduled.StatusCode);
    }

    [Fact]
    public async Task WriteBack_InterviewMovedToAnotherInterviewer_LeavesTheOldCalendarForTheNewOne()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var (first, firstUrl, _) = await WriteBackInterviewer(client, "wb-from");
        var (second, secondUrl, _) = await WriteBackInterviewer(client, "wb-to");
        var eventId = await EventsApi.Book(client, EventsApi.Booking(first, BerlinUtc(Day.AddDays(2), 10)));
        await Until(CalDavWriter.ResourceUrl(firstUrl, eventId), _ => true);

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/events/{eventId}", EventsApi.Booking(second, BerlinUtc(Day.AddDays(2), 10)))).StatusCode);

        await Until(CalDavWriter.ResourceUrl(secondUrl, eventId), body => body.Contains("SEQUENCE:1", StringComparison.Ordinal));
        await UntilGone(CalDavWriter.ResourceUrl(firstUrl, eventId));
    }

    [Fact]
    public async Task WriteBack_PushRepeatedAfterACrashBeforeItWasRecorded_LeavesOneEvent()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var (interviewerId, url, calendarId) = await WriteBackInterviewer(client, "wb-twice");
        var eventId = await EventsApi.Book(client, EventsApi.Booking(interviewerId, BerlinUtc(Day.AddDays(3), 10)));
        var resource = CalDavWriter.ResourceUrl(url, eventId);
        await Until(resource, _ => true);
        var pushedAt = await UntilPushed(client, interviewerId, calendarId, null);

        // What the database holds when the silo died after the PUT, before recording it: the push pending, no entity tag.
        await factory.Services.GetRequiredService<DatabaseWriter>().Run(session =>
            session.Command("UPDATE calendar_pushes SET status = 'pending', etag = NULL WHERE interview_id = @id").Add("@id", eventId).ExecuteNonQuery());
        await UntilPushed(client, interviewerId, calendarId, pushedAt);

        Assert.Single(await factory.Radicale.Resources(url));
        Assert.Equal(JsonValueKind.Null, (await Linked(client, interviewerId, calendarId)).GetProperty("lastPushError").ValueKind);
    }

    [Fact]
    public async Task WriteBack_LinkedAfterBookings_ReceivesTheUpcomingInterviewsOnly()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var upcoming = await EventsApi.Book(client, EventsApi.Booking(interviewerId, BerlinUtc(Day.AddDays(5), 10)));
        var moved = await EventsApi.Book(client, EventsApi.Booking(interviewerId, BerlinUtc(Day.AddDays(5), 12)));
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/events/{moved}", EventsApi.Booking(interviewerId, BerlinUtc(Day.AddDays(5), 14)))).StatusCode);
        var cancelled = await EventsApi.Book(client, EventsApi.Booking(interviewerId, BerlinUtc(Day.AddDays(5), 16)));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/events/{cancelled}/cancel", new { reason = "Withdrawn" })).StatusCode);
        var url = await factory.Radicale.CreateCalendar("wb-later-" + interviewerId);
        await UntilDispatched(upcoming, moved, cancelled);

        await Link(client, interviewerId, new { kind = "caldav", url, username = factory.Radicale.User, password = factory.Radicale.Password, writeBack = true });

        var first = await Until(CalDavWriter.ResourceUrl(url, upcoming), _ => true);
        Assert.Contains($"DTSTART:{BerlinUtc(Day.AddDays(5), 10):yyyyMMdd'T'HHmmss'Z'}", first, StringComparison.Ordinal);
        var rescheduled = await Until(CalDavWriter.ResourceUrl(url, moved), _ => true);
        Assert.Contains($"DTSTART:{BerlinUtc(Day.AddDays(5), 14):yyyyMMdd'T'HHmmss'Z'}", rescheduled, StringComparison.Ordinal);
        Assert.Contains("SEQUENCE:1", rescheduled, StringComparison.Ordinal);
        // Both were queued in the linking transaction, with nothing for the cancelled one: the calendar holds two.
        Assert.Equal(2, (await factory.Radicale.Resources(url)).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Radicale.Get(CalDavWriter.ResourceUrl(url, cancelled))).Status);
    }

    [Fact]
    public async Task WriteBack_CollectionMissing_ShowsTheErrorOnTheLinkedCalendar()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var linked = await Link(client, interviewerId, new
        {
            kind = "caldav",
            url = factory.Radicale.CalendarUrl("missing-" + interviewerId),
            username = factory.Radicale.User,
            password = factory.Radicale.Password,
            writeBack = true,
        });
        var calendarId = linked.GetProperty("id").GetString()!;

        await EventsApi.Book(client, EventsApi.Booking(interviewerId, BerlinUtc(Day.AddDays(4), 10)));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement shown;
        while ((shown = await Linked(client, interviewerId, calendarId)).GetProperty("lastPushError").ValueKind == JsonValueKind.Null)
        {
            Assert.True(DateTime.UtcNow < deadline, "No push error was shown within 30 s.");
            await Task.Delay(50);
        }
        Assert.Contains("calendar server answered", shown.GetProperty("lastPushError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Radicale.Password, shown.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_IcsWithWriteBack_Returns400AndLinksNothing()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);

        var refused = await client.PostAsJsonAsync($"/api/interviewers/{interviewerId}/calendars",
            new { kind = "ics", url = "https://calendar.example.com/feed.ics", writeBack = true });

        var problem = await ApiAssert.Problem(refused, HttpStatusCode.BadRequest);
        Assert.Contains("writeBack", problem.GetRawText(), StringComparison.Ordinal);
        var list = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewerId}/calendars"), HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("data").EnumerateArray());
    }

    private async Task<(string InterviewerId, string Url, string CalendarId)> WriteBackInterviewer(HttpClient client, string prefix)
    {
        var interviewerId = await NewBerlinInterviewer(client);
        var url = await factory.Radicale.CreateCalendar(prefix + "-" + interviewerId);
        var linked = await Link(client, interviewerId,
            new { kind = "caldav", url, username = factory.Radicale.User, password = factory.Radicale.Password, writeBack = true });
        return (interviewerId, url, linked.GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement> Linked(HttpClient client, string interviewerId, string calendarId) =>
        await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewerId}/calendars/{calendarId}"), HttpStatusCode.OK);

    private static async Task<DateTime> UntilPushed(HttpClient client, string interviewerId, string calendarId, DateTime? after)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var pushed = (await Linked(client, interviewerId, calendarId)).GetProperty("lastPushedAt");
            if (pushed.ValueKind != JsonValueKind.Null && (after is null || pushed.GetDateTime() > after))
            {
                return pushed.GetDateTime();
            }
            Assert.True(DateTime.UtcNow < deadline, "No push was recorded within 30 s.");
            await Task.Delay(50);
        }
    }

    private async Task<string> Until(string resource, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (status, body) = await factory.Radicale.Get(resource);
            if (status == HttpStatusCode.OK && condition(body))
            {
                return body;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{resource} did not reach the expected content within 30 s (last: {(int)status}).");
            await Task.Delay(50);
        }
    }

    /// <summary>Until the outbox has dispatched every change of these interviews (so the planner is done with them).</summary>
    private async Task UntilDispatched(params string[] interviewIds)
    {
        var writer = factory.Services.GetRequiredService<DatabaseWriter>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await writer.Run(session =>
        {
            var pending = session.Command(
                $"SELECT count(*) FROM domain_events WHERE dispatched = 0 AND entity_id IN ({string.Join(", ", interviewIds.Select((_, n) => $"@id{n}"))})");
            for (var n = 0; n < interviewIds.Length; n++)
            {
                pending.Add($"@id{n}", interviewIds[n]);
            }
            return Convert.ToInt64(pending.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The interviews' changes were not dispatched within 30 s.");
            await Task.Delay(20);
        }
    }

    private async Task UntilGone(string resource)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await factory.Radicale.Get(resource)).Status != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{resource} was not deleted within 30 s.");
            await Task.Delay(50);
        }
    }
}
