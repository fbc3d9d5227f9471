using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>The session state (sessions, per-address failures and locks) is read back as it was stored.</summary>
public sealed class SessionRestartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-sessions-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task SessionsAndLocks_SurviveARestart()
    {
        var email = $"restart.{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery staple";
        JsonElement tokens;
        await using (var first = new SchedulerApiFactory(_directory))
        {
            await ((IAsyncLifetime)first).InitializeAsync();
            await first.RegisterUser(email, "Restarted", password, Roles.Talent);
            using var client = first.CreateClient();
            tokens = await client.SignIn(email, password);
            for (var n = 0; n < 5; n++)
            {
                await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "a-wrong-password" }), HttpStatusCode.Unauthorized);
            }
        }

        await using var second = new SchedulerApiFactory(_directory);
        await ((IAsyncLifetime)second).InitializeAsync();
        using var again = second.CreateClient();

        var refreshed = await again.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() });
        var stillLocked = await again.PostAsJsonAsync("/api/auth/login", new { email, password });

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        await ApiAssert.Problem(stillLocked, HttpStatusCode.Unauthorized);
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
