namespace Scheduler.Api.Tests.Webhooks;

/// <summary>What the webhook tests do through the API.</summary>
internal static class WebhooksApi
{
    /// <summary>Creates a subscription (201); its receiver verifies with the secret from then on. Returns the id and secret.</summary>
    public static async Task<(string Id, string Secret)> Subscribe(HttpClient admin, WebhookReceiver receiver, params string[] types)
    {
        var created = await ApiAssert.Json(await admin.PostAsJsonAsync("/api/webhooks", new { url = receiver.Url, eventTypes = types }), HttpStatusCode.Created);
        var secret = created.GetProperty("secret").GetString()!;
        receiver.Secrets.Add(secret);
        return (created.GetProperty("id").GetString()!, secret);
    }

    public static async Task<JsonElement> Ping(HttpClient admin, string webhookId) =>
        await ApiAssert.Json(await admin.PostAsync($"/api/webhooks/{webhookId}/ping", null), HttpStatusCode.Accepted);

    public static async Task<JsonElement> Delivery(HttpClient admin, string webhookId, string deliveryId) =>
        await ApiAssert.Json(await admin.GetAsync($"/api/webhooks/{webhookId}/deliveries/{deliveryId}"), HttpStatusCode.OK);

    /// <summary>Waits (up to 20 s) until the delivery's log satisfies <paramref name="condition"/>.</summary>
    public static async Task<JsonElement> WaitForDelivery(HttpClient admin, string webhookId, string deliveryId, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var delivery = await Delivery(admin, webhookId, deliveryId);
            if (condition(delivery))
            {
                return delivery;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Delivery {deliveryId} is {delivery}.");
            }
            await Task.Delay(20);
        }
    }
}
