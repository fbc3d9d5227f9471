using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scheduler.Users;
using static Scheduler.Api.Tests.Auth.SessionClients;

namespace Scheduler.Api.Tests.Auth;

/// <summary>An access token works only while its user's sessions last: disabling, a password change or new roles end it.</summary>
public sealed class SessionStampTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task Disable_EndsTheUsersAccessToken()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (id, email) = await NewUser(admin, Roles.Talent);
        using var user = (await SignIn(factory, email)).Client;
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/interviewers?limit=1")).StatusCode);

        await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "U", roles = new[] { Roles.Talent }, disabled = true }), HttpStatusCode.OK);

        var refused = await user.GetAsync("/api/interviewers?limit=1");
        await ApiAssert.Problem(refused, HttpStatusCode.Unauthorized);
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_EndsTheAccessTokenOfEverySession()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (_, email) = await NewUser(admin, Roles.Talent);
        using var user = (await SignIn(factory, email)).Client;
        using var otherDevice = (await SignIn(factory, email)).Client;

        var changed = await user.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = Password, newPassword = "another-long-passphrase" });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await ApiAssert.Problem(await user.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(await otherDevice.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RoleRemoved_OldAccessTokenRefused_RefreshCarriesTheNewRoles()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (id, email) = await NewUser(admin, Roles.Talent);
        var (user, session) = await SignIn(factory, email);
        using var _ = user;
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/events?limit=1")).StatusCode);

        await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "U", roles = new[] { Roles.Interviewer } }), HttpStatusCode.OK);

        await ApiAssert.Problem(await user.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
        user.UseTokens(await Refresh(user, session));
        var me = await ApiAssert.Json(await user.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Equal([Roles.Interviewer], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        await ApiAssert.Problem(await user.PostAsJsonAsync("/api/interviewers", new { name = "N", email = $"n.{Guid.NewGuid():N}@example.com" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Delete_EndsTheUsersAccessToken()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (id, email) = await NewUser(admin, Roles.Talent);
        using var user = (await SignIn(factory, email)).Client;

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{id}")).StatusCode);

        await ApiAssert.Problem(await user.GetAsync("/api/interviewers?limit=1"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RefreshTokenReused_EndsTheAccessTokens()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (_, email) = await NewUser(admin, Roles.Talent);
        var (client, first) = await SignIn(factory, email);
        using var _ = client;
        client.UseTokens(await Refresh(client, first));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        // The first refresh token again: someone holds a copy.
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.GetProperty("refreshToken").GetString() }), HttpStatusCode.Unauthorized);

        await ApiAssert.Problem(await client.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TokenWithoutASessionStamp_IsRefused()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (id, email) = await NewUser(admin, Roles.Talent);
        var unstamped = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", id), new Claim("email", email), new Claim("role", Roles.Talent)]),
            Issuer = "scheduler",
            Audience = "scheduler-api",
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(SchedulerApiFactory.JwtSecret)), SecurityAlgorithms.HmacSha256),
        });
        using var client = factory.CreateClient();
        client.UseBearer(unstamped);

        await ApiAssert.Problem(await client.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
    }
}

/// <summary>
/// A host whose user grains let silos trust a session stamp for a lease, as production does (1 s there; 2 s here, so
/// that waiting one out shows), and answer a change that ends a stamp only after it.
/// </summary>
public sealed class TrustingFactory : SchedulerApiFactory
{
    public static readonly TimeSpan TrustWindow = TimeSpan.FromSeconds(2);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jwt:SessionCheckSeconds", ((int)TrustWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class SessionStampTrustTests(TrustingFactory factory) : IClassFixture<TrustingFactory>
{
    [Fact]
    public async Task ChangePassword_ThenSignInAgain_TheNewTokenWorksAtOnce()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (_, email) = await NewUser(admin, Roles.Talent);
        using var user = (await SignIn(factory, email)).Client;
        Assert.Equal(HttpStatusCode.NoContent, (await user.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = Password, newPassword = "the-next-long-password" })).StatusCode);

        var again = await ApiAssert.Json(await user.PostAsJsonAsync("/api/auth/login", new { email, password = "the-next-long-password" }), HttpStatusCode.OK);
        var oldToken = user.DefaultRequestHeaders.Authorization;
        user.UseTokens(again);
        var withTheNewToken = await user.GetAsync("/api/auth/me");
        user.DefaultRequestHeaders.Authorization = oldToken;
        var withTheOldToken = await user.GetAsync("/api/auth/me");

        // The change was answered once the silo's lease on the old stamp had run out; the new token made it ask.
        Assert.Equal(HttpStatusCode.OK, withTheNewToken.StatusCode);
        await ApiAssert.Problem(withTheOldToken, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Disable_IsAnsweredOnceTheLeaseRanOut_AndTheTokenIsRefusedFromThenOn()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (id, email) = await NewUser(admin, Roles.Talent);
        using var user = (await SignIn(factory, email)).Client;
        // The silo hears the user's stamp, and trusts it for a lease.
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/auth/me")).StatusCode);

        var disabling = Stopwatch.StartNew();
        await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "T", roles = new[] { Roles.Talent }, disabled = true }), HttpStatusCode.OK);
        disabling.Stop();
        var read = await user.GetAsync("/api/auth/me");

        Assert.True(disabling.Elapsed >= TrustingFactory.TrustWindow, $"The disable was answered after {disabling.Elapsed}.");
        await ApiAssert.Problem(read, HttpStatusCode.Unauthorized);
    }
}
