namespace Scheduler.Api.Tests.Hosting;

/// <summary>Breaks its own database, so it has a host of its own.</summary>
public sealed class ReadinessTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task Ready_TurnsUnavailable_WhenTheDatabaseIsUnreadable_WhileLiveStaysUpAndNoDriverMessageLeaks()
    {
        using var client = factory.CreateClient();
        var readyAtStart = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, readyAtStart.StatusCode);
        // Ready includes the start-up sweep of the read model (the factory waited for it).
        var checks = (await readyAtStart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        Assert.Equal("healthy", checks.GetProperty("readModel").GetProperty("status").GetString());

        // Remove the file: connections already open keep the unlinked inode, a new one finds nothing to open.
        // (Overwriting the header is not enough in WAL mode: page 1 may be served from the -wal file.)
        File.Delete(factory.DatabasePath);

        // The database check runs at most once a second; wait for the next one.
        var ready = await client.GetAsync("/health/ready");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (ready.StatusCode == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            ready = await client.GetAsync("/health/ready");
        }
        var live = await client.GetAsync("/health/live");
        var api = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        // The probe is anonymous: it says the database is unavailable, never what the driver said about it.
        var reason = body.GetProperty("checks").GetProperty("database").GetProperty("reason").GetString();
        Assert.StartsWith("The database does not answer or does not carry the current schema", reason);
        Assert.DoesNotContain("SQLite", reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
    }
}
