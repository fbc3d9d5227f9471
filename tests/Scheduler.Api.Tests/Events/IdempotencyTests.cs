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
}
