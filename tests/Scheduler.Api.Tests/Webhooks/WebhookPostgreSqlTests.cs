using Scheduler.Api.Tests.Events;
using Scheduler.Users;
using static Scheduler.Api.Tests.Webhooks.WebhooksApi;

namespace Scheduler.Api.Tests.Webhooks;

/// <summary>The webhook tables' SQL on PostgreSQL: subscribe, deliver with a retry, the log, rotate, delete.</summary>
public sealed class WebhookPostgreSqlTests(PostgreSqlWebhookFactory factory) : IClassFixture<PostgreSqlWebhookFactory>
{
    [Fact]
    public async Task OnPostgreSql_ABookingIsDeliveredAfterARetry_AndTheLogRotationAndDeleteWork()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 1;
        var admin = await factory.ClientAs(Roles.Admin);
        var (webhookId, _) = await Subscribe(admin, receiver, "interview.scheduled");
        var interviewerId = await EventsApi.NewInterviewer(admin);

        var eventId = await EventsApi.Book(admin, EventsApi.Booking(interviewerId, EventsApi.Monday.AddHours(9)));

        var received = await receiver.WaitFor(r => r.Any(x => x.Answered == 204), "an accepted attempt");
        Assert.All(received, r => Assert.Single(r.VerifiedBy));
        Assert.Equal(eventId, received[^1].Json.GetProperty("data").GetProperty("entityId").GetString());
        var delivery = await WaitForDelivery(admin, webhookId, received[0].Id!, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal([500, 204], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal(1, delivery.GetProperty("entityVersion").GetInt64());
        var failed = await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}/deliveries?status=delivered");
        Assert.Equal(1, failed.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/webhooks/{webhookId}/rotate-secret", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/webhooks/{webhookId}")).StatusCode);
        await ApiAssert.Problem(await admin.GetAsync($"/api/webhooks/{webhookId}"), HttpStatusCode.NotFound);
    }
}
