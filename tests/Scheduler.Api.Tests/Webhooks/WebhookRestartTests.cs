using Scheduler.Api.Tests.Events;
using Scheduler.Users;
using static Scheduler.Api.Tests.Webhooks.WebhooksApi;

namespace Scheduler.Api.Tests.Webhooks;

/// <summary>At least once: a delivery not yet accepted when the service stops is sent after it starts again.</summary>
public sealed class WebhookRestartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-webhooks-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task DeliveryFailingWhenTheServiceStops_IsDeliveredAfterARestart_WithTheSameWebhookId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        string webhookId;
        string eventId;
        await using (var first = new WebhookFactory(_directory))
        {
            await ((IAsyncLifetime)first).InitializeAsync();
            var admin = await first.ClientAs(Roles.Admin);
            (webhookId, _) = await Subscribe(admin, receiver, "interview.scheduled");
            var interviewerId = await EventsApi.NewInterviewer(admin);
            eventId = await EventsApi.Book(admin, EventsApi.Booking(interviewerId, EventsApi.Monday.AddHours(11)));
            await receiver.WaitFor(r => r.Count >= 1, "a first, failed attempt");
        }
        var failedId = receiver.Received[0].Id;
        receiver.AlwaysFail = false;

        await using var second = new WebhookFactory(_directory);
        await ((IAsyncLifetime)second).InitializeAsync();
        var again = await second.ClientAs(Roles.Admin);

        var accepted = (await receiver.WaitFor(r => r.Any(x => x.Answered == 204), "the delivery after the restart")).First(x => x.Answered == 204);
        Assert.Equal(failedId, accepted.Id);
        Assert.Single(accepted.VerifiedBy);
        Assert.Equal(eventId, accepted.Json.GetProperty("data").GetProperty("entityId").GetString());
        var delivery = await WaitForDelivery(again, webhookId, failedId!, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(204, delivery.GetProperty("lastStatusCode").GetInt32());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
