using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scheduler.Api.Auth;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>
/// The JWT checks, each on its own: a real user's real token (its subject and current session stamp) is signed again
/// with exactly one property changed, so the session check would accept it and only the JWT validation can refuse it.
/// The same token signed again unchanged is accepted, and each refusal names its own reason (RFC 6750
/// <c>error_description</c>), so a check turned off fails exactly its own case.
/// </summary>
public sealed class TokenValidationTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private const string OtherKey = "another-signing-key-0123456789-abcdefghijklmnop";

    [Fact]
    public async Task RealUsersToken_SignedAgainUnchanged_IsAccepted()
    {
        var token = Resign(await RealToken(), _ => { });

        var response = await Call(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RealUsersToken_Expired_Returns401ForItsExpiry()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        // Beyond the 30 s of clock skew.
        var token = Resign(await RealToken(), d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-20), now.AddMinutes(-20), now.AddMinutes(-5)));

        await AssertRefused(token, "The token expired at");
    }

    [Fact]
    public async Task RealUsersToken_NotYetValid_Returns401ForItsNotBefore()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var token = Resign(await RealToken(), d => (d.IssuedAt, d.NotBefore, d.Expires) = (now, now.AddMinutes(5), now.AddMinutes(15)));

        await AssertRefused(token, "The token is not valid before");
    }

    [Fact]
    public async Task RealUsersToken_WrongAudience_Returns401ForItsAudience()
    {
        var token = Resign(await RealToken(), d => d.Audience = "another-api");

        await AssertRefused(token, "The audience ");
    }

    [Fact]
    public async Task RealUsersToken_WrongIssuer_Returns401ForItsIssuer()
    {
        var token = Resign(await RealToken(), d => d.Issuer = "someone-else");

        await AssertRefused(token, "The issuer 'someone-else' is invalid");
    }

    [Fact]
    public async Task RealUsersToken_SignedWithAnotherKey_Returns401ForItsSignature()
    {
        var token = Resign(await RealToken(), d =>
            d.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(OtherKey)), SecurityAlgorithms.HmacSha256));

        await AssertRefused(token, "The signature key was not found");
    }

    [Fact]
    public async Task RealUsersToken_AlgNone_Returns401ForItsMissingSignature()
    {
        var token = Resign(await RealToken(), d => d.SigningCredentials = null);
        Assert.EndsWith(".", token, StringComparison.Ordinal);
        Assert.Equal("none", new JsonWebToken(token).Alg);

        await AssertRefused(token, "The signature is invalid");
    }

    [Fact]
    public async Task RealUsersToken_PayloadChangedAfterSigning_Returns401()
    {
        var parts = (await RealToken()).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"talent\"", "\"admin\"", StringComparison.Ordinal);
        Assert.Contains("\"admin\"", payload, StringComparison.Ordinal);

        await AssertRefused($"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}", "The signature key was not found");
    }

    [Fact]
    public async Task Garbage_Returns401()
    {
        var response = await Call("not.a.token");

        await ApiAssert.Problem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RefusedRealUsersToken_IsNotRemembered_AndStaysRefused()
    {
        // Refused for its signature, which no single switch of the validation turns off.
        var parts = (await RealToken()).Split('.');
        var token = $"{parts[0]}.{parts[1]}.{parts[2][..^4]}AAAA";

        var responses = new[] { await Call(token), await Call(token) };

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode));
        Assert.False(factory.Services.GetRequiredService<ValidatedTokens>().TryGet(token, factory.Clock.GetUtcNow(), out _));
    }

    /// <summary>The access token of a newly signed-in talent user: its subject and session stamp are real and current.</summary>
    private async Task<string> RealToken()
    {
        var email = $"jwt.{Guid.NewGuid():N}@scheduler.test";
        await factory.RegisterUser(email, "Jwt Case", "a-long-enough-password", Roles.Talent);
        return await factory.Login(email, "a-long-enough-password");
    }

    /// <summary>
    /// The token's claims signed again as the service signs them (issuer, audience, lifetime, HS256 with its key), after
    /// <paramref name="change"/> alters the one property under test. A fresh <c>jti</c> makes every token a new text.
    /// </summary>
    private static string Resign(string token, Action<SecurityTokenDescriptor> change)
    {
        var original = new JsonWebToken(token);
        var registered = new HashSet<string>(StringComparer.Ordinal) { "iss", "aud", "exp", "nbf", "iat", "jti" };
        var claims = original.Claims.Where(c => !registered.Contains(c.Type)).Append(new Claim("jti", Guid.NewGuid().ToString("N")));
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = original.Issuer,
            Audience = original.Audiences.Single(),
            IssuedAt = original.IssuedAt,
            NotBefore = original.ValidFrom,
            Expires = original.ValidTo,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SchedulerApiFactory.JwtSecret)), SecurityAlgorithms.HmacSha256),
        };
        change(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private async Task<HttpResponseMessage> Call(string token)
    {
        using var client = factory.CreateClient();
        client.UseBearer(token);
        return await client.GetAsync("/api/auth/me");
    }

    /// <summary>401 with a bearer challenge whose description is the JWT check's, not the session check's.</summary>
    private async Task AssertRefused(string token, string reason)
    {
        var response = await Call(token);

        await ApiAssert.Problem(response, HttpStatusCode.Unauthorized);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.True(challenge.Contains(reason, StringComparison.Ordinal), $"expected '{reason}' in: {challenge}");
    }
}
