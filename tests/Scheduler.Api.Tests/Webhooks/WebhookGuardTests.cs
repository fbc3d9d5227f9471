using Scheduler.Users;
using static Scheduler.Api.Tests.Webhooks.WebhooksApi;

namespace Scheduler.Api.Tests.Webhooks;

/// <summary>With <c>Outbound:AllowPrivateNetworks=false</c>, as in production: a receiver on a private address is refused.</summary>
public sealed class WebhookGuardTests(GuardedWebhookFactory factory) : IClassFixture<GuardedWebhookFactory>
{
    [Fact]
    public async Task Create_WithAPrivateAddress_Returns400UrlNotAllowed()
    {
        var admin = await factory.ClientAs(Roles.Admin);

        foreach (var url in new[] { "http://127.0.0.1:9/h", "http://10.0.0.1/h", "http://169.254.169.254/latest/meta-data", "http://[::1]/h" })
        {
            var body = await ApiAssert.Invalid(await admin.PostAsJsonAsync("/api/webhooks", new { url }), "url");
            Assert.Equal("url_not_allowed", body.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task NameResolvingToLoopback_IsRefusedAtConnectTime_AndTheReceiverGetsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        var created = await ApiAssert.Json(
            await admin.PostAsJsonAsync("/api/webhooks", new { url = $"http://localhost:{receiver.Port}/hooks" }), HttpStatusCode.Created);
        var webhookId = created.GetProperty("id").GetString()!;

        var deliveryId = (await Ping(admin, webhookId)).GetProperty("id").GetString()!;

        var delivery = await WaitForDelivery(admin, webhookId, deliveryId, d => d.GetProperty("attemptCount").GetInt32() >= 1);
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("attempts")[0].GetProperty("statusCode").ValueKind);
        Assert.Contains("Refused", delivery.GetProperty("lastError").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(receiver.Received);
    }
}
