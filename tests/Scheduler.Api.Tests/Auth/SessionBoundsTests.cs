using Microsoft.Data.Sqlite;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>A user's session state is rewritten on every sign-in, refresh and failed attempt: it must stay small.</summary>
public sealed class SessionBoundsTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private const int SignIns = 60;
    private const int Refreshes = 30;

    // Ten sessions of one hash each, the stamp and their dates: well under 2 KB however often the user signs in.
    private const int MaxSessionStateBytes = 2048;

    [Fact]
    public async Task ManySignInsAndRefreshes_KeepTheNewestSessions_AndTheStateSmall()
    {
        var email = $"many.{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery staple";
        await factory.RegisterUser(email, "Busy User", password, Roles.Talent);
        using var client = factory.CreateClient();

        var first = await client.SignIn(email, password);
        var last = first;
        for (var n = 1; n < SignIns; n++)
        {
            last = await client.SignIn(email, password);
        }
        for (var n = 0; n < Refreshes; n++)
        {
            last = await ApiAssert.Json(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = last.GetProperty("refreshToken").GetString() }), HttpStatusCode.OK);
        }
        var oldest = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.GetProperty("refreshToken").GetString() });
        var newest = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = last.GetProperty("refreshToken").GetString() });

        await ApiAssert.Problem(oldest, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, newest.StatusCode);
        Assert.InRange(await LargestSessionState(), 1, MaxSessionStateBytes);
    }

    private async Task<long> LargestSessionState()
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(length(PayloadBinary)), 0) FROM OrleansStorage WHERE GrainTypeString = 'sessions'";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
