using Scheduler.Users;
using static Scheduler.Api.Tests.Calendars.CalendarFixtures;

namespace Scheduler.Api.Tests.Calendars;

/// <summary>The standard resilience handler on the guarded outbound client, as a sync sees it.</summary>
[Collection(CalendarSyncCollection.Name)]
public sealed class OutboundResilienceTests(CalendarSyncFactory factory)
{
    [Fact]
    public async Task IcsSync_ServerAnswers503Once_IsRetriedWithinTheSameSync()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var day = Events.EventsApi.Monday.AddDays(2);
        await using var feed = new CountingIcsServer(Calendar(Event("flaky-busy", $"DTSTART:{day:yyyyMMdd}T100000Z", $"DTEND:{day:yyyyMMdd}T110000Z")))
        {
            FailFirst = 1,
        };
        var linked = await Link(client, interviewerId, new { kind = "ics", url = feed.Url });

        var calendarId = linked.GetProperty("id").GetString()!;

        var synced = await SyncNow(client, interviewerId, calendarId);

        // The background worker may sync the new link too; whichever sync met the 503 retried it rather than fail.
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("lastError").ValueKind);
        Assert.Equal(1, synced.GetProperty("busyCount").GetInt32());
        Assert.True(feed.Requests >= 2, $"{feed.Requests} requests");
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains($"Linked calendar {calendarId} failed to sync", StringComparison.Ordinal));
    }
}
