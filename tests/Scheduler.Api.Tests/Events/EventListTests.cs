using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Events;

/// <summary>Listing interviews: search, filters and sort.</summary>
[Collection(EventsApiCollection.Name)]
public sealed class EventListTests(SchedulerApiFactory factory)
{
    private static string[] Ids(JsonElement body) => [.. body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    [Fact]
    public async Task List_Q_MatchesTitleOrCandidateEmail_IgnoringCase()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var byTitle = await Book(client, Booking(interviewer, Monday.AddHours(9), title: $"Système design {tag}"));
        var byEmail = await Book(client, Booking(interviewer, Monday.AddHours(12), candidate: $"cand.{tag}@example.com"));
        await Book(client, Booking(interviewer, Monday.AddHours(15)));

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
        var a = await Book(client, Booking(interviewer, Monday.AddHours(9), candidate: candidate));
        var b = await Book(client, Booking(interviewer, Monday.AddHours(12), candidate: candidate));
        var c = await Book(client, Booking(interviewer, Monday.AddDays(1).AddHours(9)));
        await ApiAssert.Json(await client.PostAsJsonAsync($"/api/events/{b}/cancel", new { }), HttpStatusCode.OK);

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
        await ApiAssert.Invalid(await client.GetAsync("/api/events?status=postponed"), "status");
        await ApiAssert.Problem(await client.GetAsync($"/api/interviewers/{Guid.NewGuid():N}/events"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_LimitAndOffset_ReturnTheRequestedPage()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var a = await Book(client, Booking(interviewer, Monday.AddHours(9)));
        var b = await Book(client, Booking(interviewer, Monday.AddHours(11)));
        var c = await Book(client, Booking(interviewer, Monday.AddHours(13)));

        var first = await ApiAssert.Json(await client.GetAsync($"/api/events?interviewerId={interviewer}&limit=2"), HttpStatusCode.OK);
        var middle = await ApiAssert.Json(await client.GetAsync($"/api/events?interviewerId={interviewer}&limit=1&offset=1"), HttpStatusCode.OK);
        var last = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/events?limit=2&offset=2"), HttpStatusCode.OK);

        Assert.Equal([a, b], Ids(first));
        Assert.True(first.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        Assert.Equal([b], Ids(middle));
        Assert.Equal(1, middle.GetProperty("pagination").GetProperty("offset").GetInt32());
        Assert.Equal(3, middle.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.True(middle.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        Assert.Equal([c], Ids(last));
        Assert.False(last.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
    }
}
