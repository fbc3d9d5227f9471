using Scheduler.Users;

namespace Scheduler.Api.Tests.Hosting;

public sealed class RestartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-restart-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task StopAndStartOnSameFile_KeepsEveryAcknowledgedWrite()
    {
        string id;
        var email = $"durable.{Guid.NewGuid():N}@example.com";
        await using (var first = new SchedulerApiFactory(_directory))
        {
            await ((IAsyncLifetime)first).InitializeAsync();
            var client = await first.ClientAs(Roles.Admin);
            var created = await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", new { name = "Durable", email, skills = new[] { "persistence" } }), HttpStatusCode.Created);
            id = created.GetProperty("id").GetString()!;
            await ApiAssert.Json(await client.PutAsJsonAsync($"/api/interviewers/{id}", new { name = "Durable v2", email, skills = new[] { "persistence" } }), HttpStatusCode.OK);
        }

        await using var second = new SchedulerApiFactory(_directory);
        await ((IAsyncLifetime)second).InitializeAsync();
        var again = await second.ClientAs(Roles.Admin);

        var fetched = await ApiAssert.Json(await again.GetAsync($"/api/interviewers/{id}"), HttpStatusCode.OK);
        var listed = await ApiAssert.Json(await again.GetAsync($"/api/interviewers?q={Uri.EscapeDataString(email)}"), HttpStatusCode.OK);
        var audit = await ApiAssert.Json(await again.GetAsync($"/api/audit-logs?entityId={id}"), HttpStatusCode.OK);
        var duplicate = await again.PostAsJsonAsync("/api/interviewers", new { name = "Copy", email });

        Assert.Equal("Durable v2", fetched.GetProperty("name").GetString());
        Assert.Equal(2, fetched.GetProperty("version").GetInt64());
        Assert.Equal(id, listed.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal(2, audit.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
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
