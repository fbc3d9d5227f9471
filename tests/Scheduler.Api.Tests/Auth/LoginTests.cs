using System.IdentityModel.Tokens.Jwt;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Scheduler.Api.Auth;

namespace Scheduler.Api.Tests.Auth;

public sealed class LoginTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task Login_BootstrapAdmin_ReturnsBearerTokenWithAdminRole()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = SchedulerApiFactory.AdminEmail.ToUpperInvariant(), password = SchedulerApiFactory.AdminPassword });

        var body = await ApiAssert.Json(response, HttpStatusCode.OK);
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal(15 * 60, body.GetProperty("expiresIn").GetInt32());
        var token = new JwtSecurityTokenHandler().ReadJwtToken(body.GetProperty("accessToken").GetString());
        Assert.Contains(token.Claims, c => c.Type == "role" && c.Value == "admin");
        Assert.Equal("scheduler", token.Issuer);
        Assert.Contains("scheduler-api", token.Audiences);
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownEmail_GiveTheSame401()
    {
        using var client = factory.CreateClient();

        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { email = SchedulerApiFactory.AdminEmail, password = "not-the-password" });
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.com", password = "not-the-password" });

        var first = await ApiAssert.Problem(wrong, HttpStatusCode.Unauthorized);
        var second = await ApiAssert.Problem(unknown, HttpStatusCode.Unauthorized);
        Assert.Equal(first.GetProperty("message").GetString(), second.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Login_MissingFields_Returns400()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = "" });

        await ApiAssert.Invalid(response, "email", "password");
    }

    [Fact]
    public async Task Request_SameTokenAgain_IsAuthenticatedFromTheRememberedValidation()
    {
        using var client = factory.CreateClient();
        var login = await ApiAssert.Json(await client.PostAsJsonAsync("/api/auth/login",
            new { email = SchedulerApiFactory.AdminEmail, password = SchedulerApiFactory.AdminPassword }), HttpStatusCode.OK);
        var token = login.GetProperty("accessToken").GetString()!;
        client.UseBearer(token);

        var first = await client.GetAsync("/api/interviewers");
        var second = await client.GetAsync("/api/interviewers");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var tokens = factory.Services.GetRequiredService<ValidatedTokens>();
        Assert.True(tokens.TryGet(token, factory.Clock.GetUtcNow(), out var principal));
        Assert.Equal("admin", principal.FindFirst("role")?.Value);
    }

    [Fact]
    public async Task Request_TamperedCopyOfARememberedToken_Returns401WithBearerChallenge()
    {
        using var client = factory.CreateClient();
        var valid = await factory.TokenFor(Scheduler.Users.Roles.Talent);
        client.UseBearer(valid);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/interviewers")).StatusCode);
        var parts = valid.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"talent\"", "\"admin\"", StringComparison.Ordinal);
        Assert.Contains("\"admin\"", payload, StringComparison.Ordinal);
        client.UseBearer($"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}");

        var response = await client.GetAsync("/api/interviewers");

        await ApiAssert.Problem(response, HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
