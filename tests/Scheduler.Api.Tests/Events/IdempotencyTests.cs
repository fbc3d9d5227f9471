using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;

namespace Scheduler.Api.Tests.Events;

/// <summary>A booking retried with its Idempotency-Key: the first result, never a second booking.</summary>
[Collection(EventsApiCollection.Name)]
public sealed class IdempotencyTests(SchedulerApiFactory factory)
{
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

    /// <summary>A booking with every field set; <paramref name="field"/>, when named, has another value.</summary>
    private static Dictionary<string, object?> FullBooking(string interviewer, string otherInterviewer, string? field = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["interviewerId"] = interviewer,
            ["title"] = "Technical interview",
            ["candidateName"] = "Casey Candidate",
            ["candidateEmail"] = "casey@example.com",
            ["startsAt"] = TestTime.Iso(Monday.AddHours(14)),
            ["endsAt"] = TestTime.Iso(Monday.AddHours(15)),
            ["timezone"] = "Europe/Berlin",
            ["location"] = "Room 1",
            ["meetingUrl"] = "https://meet.example.com/abc",
            ["notes"] = "Bring a laptop",
        };
        if (field is not null)
        {
            body[field] = field switch
            {
                "interviewerId" => otherInterviewer,
                "candidateEmail" => "other@example.com",
                "startsAt" => TestTime.Iso(Monday.AddHours(13).AddMinutes(45)),
                "endsAt" => TestTime.Iso(Monday.AddHours(15).AddMinutes(15)),
                "timezone" => "Asia/Tokyo",
                "meetingUrl" => "https://meet.example.com/other",
                _ => "Something else",
            };
        }
        return body;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("interviewerId")]
    [InlineData("title")]
    [InlineData("candidateName")]
    [InlineData("candidateEmail")]
    [InlineData("startsAt")]
    [InlineData("endsAt")]
    [InlineData("timezone")]
    [InlineData("location")]
    [InlineData("meetingUrl")]
    [InlineData("notes")]
    public async Task Schedule_RetryDifferingInOneField_Returns409KeyReused_AndBooksNothingElse(string field)
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var other = await NewInterviewer(client);
        var key = Guid.NewGuid().ToString();
        var first = await ApiAssert.Json(await Send(client, key, FullBooking(interviewer, other)), HttpStatusCode.Created);

        var changed = await ApiAssert.Problem(await Send(client, key, FullBooking(interviewer, other, field)), HttpStatusCode.Conflict);
        var same = await ApiAssert.Json(await Send(client, key, FullBooking(interviewer, other)), HttpStatusCode.Created);

        Assert.Equal("idempotency_key_reused", changed.GetProperty("code").GetString());
        Assert.Equal(first.GetProperty("id").GetString(), same.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty(field).ToString(), same.GetProperty(field).ToString());
        foreach (var calendarOf in new[] { interviewer, other })
        {
            var calendar = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{calendarOf}/calendar"), HttpStatusCode.OK);
            Assert.Equal(calendarOf == interviewer ? 1 : 0, calendar.GetProperty("reservations").GetArrayLength());
        }
    }

    [Fact]
    public async Task Schedule_SameKeyFromTwoUsers_BooksTwoEvents()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(talent);
        var key = Guid.NewGuid().ToString();

        var byTalent = await ApiAssert.Json(await Send(talent, key, Booking(interviewer, Monday.AddHours(9))), HttpStatusCode.Created);
        var byAdmin = await ApiAssert.Json(await Send(admin, key, Booking(interviewer, Monday.AddHours(11))), HttpStatusCode.Created);

        Assert.NotEqual(byTalent.GetProperty("id").GetString(), byAdmin.GetProperty("id").GetString());
        Assert.Equal(TestTime.Iso(Monday.AddHours(11)), byAdmin.GetProperty("startsAt").GetString());
        var calendar = await ApiAssert.Json(await talent.GetAsync($"/api/interviewers/{interviewer}/calendar"), HttpStatusCode.OK);
        Assert.Equal(2, calendar.GetProperty("reservations").GetArrayLength());
    }
}
