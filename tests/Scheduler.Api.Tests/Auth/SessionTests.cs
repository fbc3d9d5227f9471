using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

public sealed class SessionTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private async Task<(string Email, string Password)> NewUser(string role = Roles.Talent)
    {
        var email = $"session.{Guid.NewGuid():N}@example.com";
        const string password = "a-long-enough-password";
        await factory.RegisterUser(email, "Session User", password, role);
        return (email, password);
    }

    [Fact]
    public async Task Refresh_RotatesTheToken_AndReuseRevokesTheFamily()
    {
        using var client = factory.CreateClient();
        var (email, password) = await NewUser();
        var first = await client.SignIn(email, password);
        var firstRefresh = first.GetProperty("refreshToken").GetString();

        var second = await ApiAssert.Json(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = firstRefresh }), HttpStatusCode.OK);
        var secondRefresh = second.GetProperty("refreshToken").GetString();
        var reuse = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = firstRefresh });
        var afterReuse = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = secondRefresh });

        Assert.NotEqual(firstRefresh, secondRefresh);
        Assert.False(string.IsNullOrEmpty(second.GetProperty("accessToken").GetString()));
        await ApiAssert.Problem(reuse, HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(afterReuse, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_GarbageOrUnknownToken_Returns401()
    {
        using var client = factory.CreateClient();

        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "nonsense" }), HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = $"{Guid.NewGuid():N}.abc" }), HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = (string?)null }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_RevokesTheRefreshToken()
    {
        using var client = factory.CreateClient();
        var (email, password) = await NewUser();
        var refresh = (await client.SignIn(email, password)).GetProperty("refreshToken").GetString();

        var logout = await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = refresh });
        var after = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh });

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await ApiAssert.Problem(after, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_ReturnsTheUserWithItsETagAndWithoutSecrets()
    {
        using var client = factory.CreateClient();
        var (email, password) = await NewUser(Roles.Interviewer);
        client.UseTokens(await client.SignIn(email, password));

        var response = await client.GetAsync("/api/auth/me");

        var me = await ApiAssert.Json(response, HttpStatusCode.OK);
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal(["interviewer"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal($"\"{me.GetProperty("version").GetInt64()}\"", response.Headers.ETag?.Tag);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_RequiresTheCurrentOne_RejectsWeak_AndRevokesSessions()
    {
        using var client = factory.CreateClient();
        var (email, password) = await NewUser();
        var signedIn = await client.SignIn(email, password);
        client.UseTokens(signedIn);
        const string newPassword = "another-long-passphrase";

        var wrong = await client.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = "not-the-password", newPassword });
        var weak = await client.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = password, newPassword = "short" });
        var changed = await client.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = password, newPassword });
        client.DefaultRequestHeaders.Authorization = null;
        var oldSession = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = signedIn.GetProperty("refreshToken").GetString() });
        var oldPassword = await client.PostAsJsonAsync("/api/auth/login", new { email, password });

        await ApiAssert.Problem(wrong, HttpStatusCode.BadRequest);
        await ApiAssert.Problem(weak, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await ApiAssert.Problem(oldSession, HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(oldPassword, HttpStatusCode.Unauthorized);
        await client.SignIn(email, newPassword);
    }
}
