namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>Two real silo processes on one PostgreSQL database: one sender at a time, so each change is delivered once.</summary>
public sealed class WebhookClusterTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Outbound__AllowPrivateNetworks"] = "true",
        ["Email__PollSeconds"] = "0.2",
        ["Webhooks__PollSeconds"] = "0.2",
    };

    [Fact]
    public async Task Bookings_OnTwoSilos_AreEachDeliveredOnce_AndSigned()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var first = cluster.StartSilo(Settings);
        await first.WaitUntilHealthy();
        await using var second = cluster.StartSilo(Settings);
        await second.WaitUntilHealthy();
        using var a = await first.AdminClient();
        using var b = await second.AdminClient();
        var created = await a.PostAsJsonAsync("/api/webhooks", new { url = receiver.Url, eventTypes = new[] { "interview.scheduled" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var webhook = await created.Content.ReadFromJsonAsync<JsonElement>();
        receiver.Secrets.Add(webhook.GetProperty("secret").GetString()!);

        var booked = await EmailKit.Book(8, n => n % 2 == 0 ? a : b);

        await receiver.WaitFor(r => r.Count >= 8, "eight deliveries");
        // Once every delivery is recorded, a second sender would have sent its copy already.
        var webhookId = webhook.GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await a.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}/deliveries?status=delivered"))
            .GetProperty("pagination").GetProperty("total").GetInt64() < 8)
        {
            Assert.True(DateTime.UtcNow < deadline, "The deliveries were not all recorded as delivered.");
            await Task.Delay(100);
        }
        var received = receiver.Received;
        Assert.Equal(8, received.Count);
        Assert.Equal(8, received.Select(r => r.Id).Distinct().Count());
        Assert.All(received, r => Assert.Single(r.VerifiedBy));
        Assert.Equal(booked.Order(StringComparer.Ordinal),
            received.Select(r => r.Json.GetProperty("data").GetProperty("entityId").GetString()!).Order(StringComparer.Ordinal));
    }
}
