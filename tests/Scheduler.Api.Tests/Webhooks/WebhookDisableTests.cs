using System.Diagnostics.Metrics;
using Scheduler.Users;
using static Scheduler.Api.Tests.Webhooks.WebhooksApi;

namespace Scheduler.Api.Tests.Webhooks;

/// <summary>A subscription whose every attempt fails for 24 h is disabled: driven by the host's manual clock.</summary>
public sealed class WebhookDisableTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    [Fact]
    public async Task FailingFor24Hours_DisablesTheSubscription_WithAnAuditEntryAndAMetric_AndEnableResumes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        var admin = await factory.ClientAs(Roles.Admin);
        var (webhookId, _) = await Subscribe(admin, receiver);
        long disabledCount = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "scheduler.webhooks.disabled")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref disabledCount, value));
        listener.Start();
        try
        {
            var deliveryId = (await Ping(admin, webhookId)).GetProperty("id").GetString()!;
            await WaitForDelivery(admin, webhookId, deliveryId, d => d.GetProperty("attemptCount").GetInt32() >= 2);
            Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}")).GetProperty("enabled").GetBoolean());

            factory.Clock.Advance(TimeSpan.FromHours(25));

            var dead = await WaitForDelivery(admin, webhookId, deliveryId, d => d.GetProperty("status").GetString() == "dead");
            var webhook = await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}");
            Assert.False(webhook.GetProperty("enabled").GetBoolean());
            Assert.NotEqual(JsonValueKind.Null, webhook.GetProperty("disabledAt").ValueKind);
            var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/audit-logs?entityType=webhook&entityId={webhookId}&action=disabled");
            Assert.Equal("system", Assert.Single(audit.GetProperty("data").EnumerateArray()).GetProperty("actor").GetString());
            Assert.Equal(1, Interlocked.Read(ref disabledCount));
            var attempts = dead.GetProperty("attemptCount").GetInt32();
            await ApiAssert.Problem(await admin.PostAsync($"/api/webhooks/{webhookId}/ping", null), HttpStatusCode.Conflict);

            receiver.AlwaysFail = false;
            var enabled = await ApiAssert.Json(await admin.PostAsync($"/api/webhooks/{webhookId}/enable", null), HttpStatusCode.OK);
            Assert.True(enabled.GetProperty("enabled").GetBoolean());
            var again = await admin.PostAsync($"/api/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", null);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            var delivered = await WaitForDelivery(admin, webhookId, deliveryId, d => d.GetProperty("status").GetString() == "delivered");
            Assert.Equal(attempts + 1, delivered.GetProperty("attemptCount").GetInt32());
        }
        finally
        {
            factory.Clock.Reset();
        }
    }
}
