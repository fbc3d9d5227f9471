using Scheduler.Api.Tests.Events;
using Scheduler.Users;
using static Scheduler.Api.Tests.Calendars.CalendarFixtures;

namespace Scheduler.Api.Tests.Calendars;

[Collection(CalendarSyncCollection.Name)]
public sealed class LinkedCalendarsApiTests(CalendarSyncFactory factory)
{
    [Fact]
    public async Task LinkAndSync_WithPasswordAndToken_NeverReturnOrLogTheSecrets()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var url = await factory.Radicale.CreateCalendar("secret-" + interviewerId);
        const string Token = "bearer-token-that-must-stay-secret-5309";

        var basic = await Link(client, interviewerId, new { kind = "caldav", url, username = factory.Radicale.User, password = factory.Radicale.Password });
        var bearer = await Link(client, interviewerId, new { kind = "ics", url = url + "?key=feed-secret-123", token = Token });
        await SyncNow(client, interviewerId, basic.GetProperty("id").GetString()!);
        await SyncNow(client, interviewerId, bearer.GetProperty("id").GetString()!);
        var list = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewerId}/calendars"), HttpStatusCode.OK);

        Assert.Equal("basic", basic.GetProperty("auth").GetString());
        Assert.Equal("bearer", bearer.GetProperty("auth").GetString());
        // A CalDAV collection keeps its path; a subscription's path is where providers put the secret.
        Assert.Equal(url, basic.GetProperty("url").GetString());
        Assert.Equal(new Uri(url).GetLeftPart(UriPartial.Authority) + "/…", bearer.GetProperty("url").GetString());
        foreach (var body in new[] { basic.GetRawText(), bearer.GetRawText(), list.GetRawText() })
        {
            Assert.DoesNotContain(factory.Radicale.Password, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, body, StringComparison.Ordinal);
            Assert.DoesNotContain("feed-secret-123", body, StringComparison.Ordinal);
        }
        Assert.Equal(2, list.GetProperty("data").GetArrayLength());
        Assert.NotEmpty(factory.Logs.Lines);
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(factory.Radicale.Password, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(Token, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains("feed-secret-123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IcsSubscription_Synced_BlocksItsEvents_AndUnlinkFreesThem()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var url = await factory.Radicale.CreateCalendar("ics-" + interviewerId);
        var day = EventsApi.Monday.AddDays(1);
        await factory.Radicale.Put(url, "busy.ics", Calendar(BerlinZone,
            Event("ics-busy", $"DTSTART;TZID=Europe/Berlin:{Local(day, 12)}", $"DTEND;TZID=Europe/Berlin:{Local(day, 13)}")));
        // Radicale answers a GET on a collection with the whole calendar as one .ics file, as a subscription URL does.
        var linked = await Link(client, interviewerId, new { kind = "ics", url, username = factory.Radicale.User, password = factory.Radicale.Password });
        var calendarId = linked.GetProperty("id").GetString()!;

        var synced = await SyncNow(client, interviewerId, calendarId);
        using var stale = new HttpRequestMessage(HttpMethod.Delete, $"/api/interviewers/{interviewerId}/calendars/{calendarId}");
        stale.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        await ApiAssert.Problem(await client.SendAsync(stale), HttpStatusCode.PreconditionFailed);
        var again = await SyncNow(client, interviewerId, calendarId);

        Assert.Equal(1, synced.GetProperty("busyCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, again.GetProperty("lastError").ValueKind);
        Assert.DoesNotContain(BerlinUtc(day, 12), await FreeHours(client, interviewerId, day));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/interviewers/{interviewerId}/calendars/{calendarId}")).StatusCode);
        Assert.Contains(BerlinUtc(day, 12), await FreeHours(client, interviewerId, day));
        await ApiAssert.Problem(await client.PostAsync($"/api/interviewers/{interviewerId}/calendars/{calendarId}/sync", null), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("ftp://calendar.example.com/cal.ics")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:pw@calendar.example.com/cal/")]
    [InlineData("/relative/path")]
    public async Task Link_UrlNotPlainHttp_Returns400AndLinksNothing(string url)
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);

        await ApiAssert.Invalid(await client.PostAsJsonAsync($"/api/interviewers/{interviewerId}/calendars", new { kind = "ics", url }), "url");

        var list = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewerId}/calendars"), HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Link_UnknownKind_Returns400()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);

        await ApiAssert.Invalid(await client.PostAsJsonAsync($"/api/interviewers/{interviewerId}/calendars",
            new { kind = "exchange", url = "https://calendar.example.com/" }), "kind");
    }

    [Fact]
    public async Task LinkedCalendars_OtherInterviewersUser_Gets403_AndOwnUserManagesThem()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(talent);
        var otherId = await NewBerlinInterviewer(talent);
        var own = await factory.ClientAs(Roles.Interviewer, interviewerId);
        var other = await factory.ClientAs(Roles.Interviewer, otherId);
        var body = new { kind = "ics", url = "https://calendar.example.com/feed.ics" };

        await Link(own, interviewerId, body);

        await ApiAssert.Problem(await other.GetAsync($"/api/interviewers/{interviewerId}/calendars"), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await other.PostAsJsonAsync($"/api/interviewers/{interviewerId}/calendars", body), HttpStatusCode.Forbidden);
        var list = await ApiAssert.Json(await own.GetAsync($"/api/interviewers/{interviewerId}/calendars"), HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("data").GetArrayLength());
    }
}
