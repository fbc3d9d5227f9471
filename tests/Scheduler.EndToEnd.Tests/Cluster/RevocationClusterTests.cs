namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>
/// Two silo processes, each trusting what it heard of a session for production's 10 s: an admin disabled through one
/// silo writes nothing more through the other, though that silo confirmed its token a moment before.
/// </summary>
public sealed class RevocationClusterTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task AdminDisabledOnOneSilo_ItsTokenWritesNothingOnAnother()
    {
        await using var first = cluster.StartSilo();
        await first.WaitUntilHealthy();
        await using var second = cluster.StartSilo();
        await second.WaitUntilHealthy();
        using var admin = await first.AdminClient();
        var email = $"admin2.{Guid.NewGuid():N}@example.com";
        var created = await admin.PostAsJsonAsync("/api/users", new { email, name = "Second Admin", password = Password, roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var demoted = new HttpClient { BaseAddress = second.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        demoted.UseTokens(await demoted.SignIn(email, Password));
        Assert.Equal(HttpStatusCode.OK, (await demoted.GetAsync("/api/users?limit=1")).StatusCode);

        var disabled = await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "Second Admin", roles = new[] { "admin" }, disabled = true });
        var reEnable = await demoted.PutAsJsonAsync($"/api/users/{id}", new { name = "Second Admin", roles = new[] { "admin" }, disabled = false });
        var newAdmin = await demoted.PostAsJsonAsync("/api/users",
            new { email = $"sneaky.{Guid.NewGuid():N}@example.com", name = "Sneaky", password = Password, roles = new[] { "admin" } });

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, reEnable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, newAdmin.StatusCode);
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/api/users/{id}");
        Assert.True(stored.GetProperty("disabled").GetBoolean());
    }
}
