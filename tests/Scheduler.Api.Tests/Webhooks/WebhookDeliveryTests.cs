using Scheduler.Api.Tests.Events;
using Scheduler.Users;
using static Scheduler.Api.Tests.Webhooks.WebhooksApi;

namespace Scheduler.Api.Tests.Webhooks;

/// <summary>Deliveries to a real receiver, each verified by the StandardWebhooks package.</summary>
public sealed class WebhookDeliveryTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    [Fact]
    public async Task Booking_DeliversASignedInterviewScheduled_WithTheEntityVersion_AndOnlySubscribedTypes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        await Subscribe(admin, receiver, "interview.scheduled", "interview.cancelled");
        var interviewerId = await EventsApi.NewInterviewer(admin);

        var eventId = await EventsApi.Book(admin, EventsApi.Booking(interviewerId, EventsApi.Monday.AddHours(10)));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/events/{eventId}/cancel", new { reason = "filled" })).StatusCode);

        var received = await receiver.WaitFor(r => r.Count >= 2, "the scheduled and the cancelled event");
        Assert.Equal(["interview.scheduled", "interview.cancelled"], received.OrderBy(r => r.Json.GetProperty("data").GetProperty("version").GetInt64()).Select(r => r.Type));
        Assert.All(received, r => Assert.Single(r.VerifiedBy));
        var scheduled = received.Single(r => r.Type == "interview.scheduled").Json.GetProperty("data");
        Assert.Equal(eventId, scheduled.GetProperty("entityId").GetString());
        Assert.Equal(1, scheduled.GetProperty("version").GetInt64());
        Assert.Equal(interviewerId, scheduled.GetProperty("interview").GetProperty("interviewerId").GetString());
        // The interviewer's creation is a type this subscription did not ask for.
        Assert.DoesNotContain(received, r => r.Type.StartsWith("interviewer.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReceiverFailingTwice_IsRetried_WithTheSameWebhookId_AndTheLogShowsEachAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 2;
        var admin = await factory.ClientAs(Roles.Admin);
        var (webhookId, _) = await Subscribe(admin, receiver, "interviewer.created");

        await EventsApi.NewInterviewer(admin);

        var received = await receiver.WaitFor(r => r.Any(x => x.Answered == 204), "a third, accepted attempt");
        Assert.Equal(3, received.Count);
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.All(received, r => Assert.Single(r.VerifiedBy));
        var delivery = await WaitForDelivery(admin, webhookId, received[0].Id!, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(3, delivery.GetProperty("attemptCount").GetInt32());
        Assert.Equal([500, 500, 204], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal("interviewer.created", delivery.GetProperty("eventType").GetString());
    }

    [Fact]
    public async Task Redeliver_SendsTheSameMessageAgain_WithTheSameWebhookId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        var (webhookId, _) = await Subscribe(admin, receiver);
        var ping = await Ping(admin, webhookId);
        var deliveryId = ping.GetProperty("id").GetString()!;
        await WaitForDelivery(admin, webhookId, deliveryId, d => d.GetProperty("status").GetString() == "delivered");

        var again = await admin.PostAsync($"/api/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", null);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var received = await receiver.WaitFor(r => r.Count(x => x.Id == deliveryId) >= 2, "the delivery twice");
        Assert.All(received, r => Assert.Single(r.VerifiedBy));
        Assert.Single(received.Where(r => r.Id == deliveryId).Select(r => r.Body).Distinct());
        var log = await WaitForDelivery(admin, webhookId, deliveryId, d => d.GetProperty("attemptCount").GetInt32() == 2);
        Assert.Equal("delivered", log.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ping_IsSignedAndDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        var (webhookId, _) = await Subscribe(admin, receiver, "interview.deleted");

        var ping = await Ping(admin, webhookId);

        var received = Assert.Single(await receiver.WaitFor(r => r.Count >= 1, "the ping"));
        Assert.Equal("webhook.ping", received.Type);
        Assert.Equal(ping.GetProperty("id").GetString(), received.Id);
        Assert.Single(received.VerifiedBy);
    }

    [Fact]
    public async Task RotatedSecret_SignsFromThenOn_AndThePreviousOneStillVerifiesForADay()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        var (webhookId, oldSecret) = await Subscribe(admin, receiver);

        var rotated = await ApiAssert.Json(await admin.PostAsync($"/api/webhooks/{webhookId}/rotate-secret", null), HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        receiver.Secrets.Add(newSecret);
        await Ping(admin, webhookId);

        var received = Assert.Single(await receiver.WaitFor(r => r.Count >= 1, "the ping"));
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(new[] { oldSecret, newSecret }.Order(StringComparer.Ordinal), received.VerifiedBy.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReceiverThatRedirects_IsNotFollowed_AndTheAttemptFails()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Redirect = true;
        var admin = await factory.ClientAs(Roles.Admin);
        var (webhookId, _) = await Subscribe(admin, receiver);

        var deliveryId = (await Ping(admin, webhookId)).GetProperty("id").GetString()!;

        var delivery = await WaitForDelivery(admin, webhookId, deliveryId, d => d.GetProperty("attemptCount").GetInt32() >= 1);
        Assert.Equal(302, delivery.GetProperty("attempts")[0].GetProperty("statusCode").GetInt32());
        Assert.Contains("Redirect", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(receiver.Received, r => r.Answered != 302);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/webhooks/{webhookId}")).StatusCode);
    }

    [Fact]
    public async Task Outbox_WithAnEventWhoseChangesCannotBeRead_PassesItOver_AndDeliversTheEventsBehindIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        await Subscribe(admin, receiver, "interviewer.updated", "interviewer.created");
        var poison = $"poison{Guid.NewGuid():N}";
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={factory.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO domain_events (entity_type, entity_id, entity_version, action, at, changes, data)
                VALUES ('interviewer', $id, 2, 'updated', '2030-01-01T00:00:00.0000000Z', '{not json', NULL)
                """;
            insert.Parameters.AddWithValue("$id", poison);
            await insert.ExecuteNonQueryAsync();
        }

        var interviewerId = await EventsApi.NewInterviewer(admin);

        var received = await receiver.WaitFor(r => r.Any(x => x.Json.GetProperty("data").GetProperty("entityId").GetString() == interviewerId), "the new interviewer");
        Assert.DoesNotContain(received, r => r.Body.Contains(poison, StringComparison.Ordinal));
    }
}
