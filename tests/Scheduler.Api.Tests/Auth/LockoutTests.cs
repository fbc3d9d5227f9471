using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>Moves its host's clock, so it has a host of its own.</summary>
public sealed class LockoutTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task FiveFailures_LockTheAccountForFifteenMinutes_WithTheSameAnswer()
    {
        using var client = factory.CreateClient();
        var email = $"lock.{Guid.NewGuid():N}@example.com";
        const string password = "the-right-password-42";
        var user = await factory.RegisterUser(email, "Locked", password, Roles.Talent);

        for (var n = 0; n < 5; n++)
        {
            await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "a-wrong-password" }), HttpStatusCode.Unauthorized);
        }
        var whileLocked = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        factory.Clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        HttpResponseMessage unlocked;
        try
        {
            unlocked = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        }
        finally
        {
            factory.Clock.Reset();
        }

        var locked = await ApiAssert.Problem(whileLocked, HttpStatusCode.Unauthorized);
        Assert.Equal("Invalid email or password.", locked.GetProperty("message").GetString());
        await ApiAssert.Problem(stillLocked, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        var admin = await factory.ClientAs(Roles.Admin);
        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityType=user&entityId={user.Id}&action=locked_out"), HttpStatusCode.OK);
        Assert.Equal(1, audit.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task WrongCurrentPasswords_OnChangePassword_LockTheAccountLikeFailedSignIns()
    {
        using var client = factory.CreateClient();
        var email = $"guess.{Guid.NewGuid():N}@example.com";
        const string password = "the-right-password-42";
        await factory.RegisterUser(email, "Guessed", password, Roles.Talent);
        var tokens = await client.SignIn(email, password);
        using var signedIn = factory.CreateClient();
        signedIn.UseTokens(tokens);

        for (var n = 0; n < 5; n++)
        {
            await ApiAssert.Problem(await signedIn.PostAsJsonAsync("/api/auth/change-password",
                new { currentPassword = $"guess-number-{n}", newPassword = "a-new-long-password" }), HttpStatusCode.BadRequest);
        }
        var rightGuessWhileLocked = await signedIn.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = password, newPassword = "a-new-long-password" });
        var signInWhileLocked = await client.PostAsJsonAsync("/api/auth/login", new { email, password });

        await ApiAssert.Problem(rightGuessWhileLocked, HttpStatusCode.BadRequest);
        await ApiAssert.Problem(signInWhileLocked, HttpStatusCode.Unauthorized);
    }
}
