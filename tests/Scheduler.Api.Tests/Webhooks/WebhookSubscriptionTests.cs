using Scheduler.Users;
using static Scheduler.Api.Tests.Webhooks.WebhooksApi;

namespace Scheduler.Api.Tests.Webhooks;

public sealed class WebhookSubscriptionTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    [Fact]
    public async Task Create_ShowsTheSecretOnce_AndNoReadReturnsItAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);

        var (id, secret) = await Subscribe(admin, receiver);

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        var one = await admin.GetAsync($"/api/webhooks/{id}");
        var list = await admin.GetAsync("/api/webhooks?limit=100");
        var audit = await admin.GetAsync($"/api/audit-logs?entityType=webhook&entityId={id}");
        foreach (var response in new[] { one, list, audit })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(secret["whsec_".Length..], text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", text, StringComparison.Ordinal);
        }
        var read = JsonDocument.Parse(await one.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(receiver.Url, read.GetProperty("url").GetString());
        Assert.Empty(read.GetProperty("eventTypes").EnumerateArray());
        Assert.True(read.GetProperty("enabled").GetBoolean());
        Assert.Equal("created", JsonDocument.Parse(await audit.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task Create_WithAnUnknownTypeOrABadUrl_Returns400_AndCreatesNothing()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/webhooks")).GetProperty("pagination").GetProperty("total").GetInt64();

        await ApiAssert.Invalid(await admin.PostAsJsonAsync("/api/webhooks", new { url = "https://example.com/h", eventTypes = new[] { "interview.exploded" } }), "eventTypes");
        await ApiAssert.Invalid(await admin.PostAsJsonAsync("/api/webhooks", new { url = "ftp://example.com/h" }), "url");
        await ApiAssert.Invalid(await admin.PostAsJsonAsync("/api/webhooks", new { url = "https://user:pw@example.com/h" }), "url");
        await ApiAssert.Invalid(await admin.PostAsJsonAsync("/api/webhooks", new { eventTypes = Array.Empty<string>() }), "url");

        var after = (await admin.GetFromJsonAsync<JsonElement>("/api/webhooks")).GetProperty("pagination").GetProperty("total").GetInt64();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Webhooks_AreForAdminsOnly()
    {
        var talent = await factory.ClientAs(Roles.Talent);

        await ApiAssert.Problem(await talent.GetAsync("/api/webhooks"), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await talent.PostAsJsonAsync("/api/webhooks", new { url = "https://example.com/h" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Delete_WithAStaleIfMatchReturns412_ThenRemovesTheSubscriptionAndItsLog_AndIsAudited()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        var (id, _) = await Subscribe(admin, receiver);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/webhooks/{id}/rotate-secret", null)).StatusCode);

        await ApiAssert.Problem(await Delete(admin, id, "\"1\""), HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.NoContent, (await Delete(admin, id, "\"2\"")).StatusCode);

        await ApiAssert.Problem(await admin.GetAsync($"/api/webhooks/{id}"), HttpStatusCode.NotFound);
        await ApiAssert.Problem(await admin.GetAsync($"/api/webhooks/{id}/deliveries"), HttpStatusCode.NotFound);
        await ApiAssert.Problem(await admin.PostAsync($"/api/webhooks/{id}/ping", null), HttpStatusCode.NotFound);
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/audit-logs?entityType=webhook&entityId={id}&action=deleted");
        Assert.Equal(1, audit.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    private static async Task<HttpResponseMessage> Delete(HttpClient admin, string id, string ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/webhooks/{id}");
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await admin.SendAsync(request);
    }

    [Fact]
    public async Task Deliveries_OfAnotherWebhook_AreNotFound()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        var (first, _) = await Subscribe(admin, receiver);
        var (second, _) = await Subscribe(admin, receiver);
        var deliveryId = (await Ping(admin, first)).GetProperty("id").GetString()!;

        await ApiAssert.Problem(await admin.GetAsync($"/api/webhooks/{second}/deliveries/{deliveryId}"), HttpStatusCode.NotFound);
        await ApiAssert.Problem(await admin.PostAsync($"/api/webhooks/{second}/deliveries/{deliveryId}/redeliver", null), HttpStatusCode.NotFound);
        var log = await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{first}/deliveries");
        Assert.Equal(deliveryId, log.GetProperty("data")[0].GetProperty("id").GetString());
    }
}
