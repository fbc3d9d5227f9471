using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scheduler.Api.Auth;

namespace Scheduler.Api.Tests.Auth;

/// <summary>
/// The bearer scheme as <see cref="AuthenticationSetup"/> configures it, without a host: the validation parameters
/// each refuse their own flaw, the secret is checked at start, and a challenge for an ended session says so. (A host
/// configures it once, on its first request, so the HTTP tests alone cannot tell which test depends on it.)
/// </summary>
public sealed class TokenValidationSetupTests
{
    private const string Secret = "setup-signing-key-0123456789-abcdefghijklmnop-0123456789-abcdefghij";

    private static JwtBearerOptions BearerOptions(string environment = "Production", string? secret = Secret)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Jwt:Secret"] = secret }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSchedulerAuthentication(configuration, new Environment(environment));
        return services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
    }

    private static string Token(Action<SecurityTokenDescriptor>? change = null, string secret = Secret)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("name", "Ada"), new Claim("role", "talent")]),
            Issuer = "scheduler",
            Audience = "scheduler-api",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static async Task<Exception?> Refusal(string token)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, BearerOptions().TokenValidationParameters);
        return result.IsValid ? null : result.Exception;
    }

    [Fact]
    public async Task Parameters_AcceptAGoodToken_WithNameAndRoleClaims()
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(Token(), BearerOptions().TokenValidationParameters);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("Ada", result.ClaimsIdentity.Name);
        Assert.True(new ClaimsPrincipal(result.ClaimsIdentity).IsInRole("talent"));
        Assert.False(BearerOptions().MapInboundClaims);
    }

    [Fact]
    public async Task Parameters_RefuseEachFlawForItsOwnReason()
    {
        var now = DateTime.UtcNow;

        Assert.IsType<SecurityTokenInvalidIssuerException>(await Refusal(Token(d => d.Issuer = "someone-else")));
        Assert.IsType<SecurityTokenInvalidAudienceException>(await Refusal(Token(d => d.Audience = "another-api")));
        Assert.IsType<SecurityTokenExpiredException>(await Refusal(Token(d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-20), now.AddMinutes(-20), now.AddMinutes(-1)))));
        Assert.IsType<SecurityTokenNotYetValidException>(await Refusal(Token(d => d.NotBefore = now.AddMinutes(1))));
        Assert.IsType<SecurityTokenNoExpirationException>(await Refusal(Token(d => d.Expires = null)));
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(await Refusal(Token(secret: "another-signing-key-0123456789-abcdefghijklmn")));
        // The right key with another algorithm than HS256 finds no key for it.
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(await Refusal(Token(d => d.SigningCredentials =
            new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret)), SecurityAlgorithms.HmacSha512))));
    }

    [Fact]
    public async Task Parameters_AllowThirtySecondsOfClockSkew_NotMore()
    {
        var now = DateTime.UtcNow;

        Assert.Null(await Refusal(Token(d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-20), now.AddMinutes(-20), now.AddSeconds(-20)))));
        Assert.IsType<SecurityTokenExpiredException>(await Refusal(Token(d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-20), now.AddMinutes(-20), now.AddSeconds(-40)))));
    }

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Production", "too-short")]
    [InlineData("Development", "too-short")]
    public void Start_WithoutAStrongSecret_Throws_UnlessDevelopmentLeftItUnset(string environment, string? secret)
    {
        var error = Assert.Throws<InvalidOperationException>(() => BearerOptions(environment, secret));

        Assert.Contains("Jwt__Secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InDevelopmentWithoutASecret_SignsWithARandomKey()
    {
        var options = BearerOptions("Development", secret: null);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(Token(), options.TokenValidationParameters);

        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(result.Exception);
        Assert.True(((SymmetricSecurityKey)options.TokenValidationParameters.IssuerSigningKey).Key.Length >= JwtOptions.MinimumSecretBytes);
    }

    [Fact]
    public async Task Challenge_ForAnEndedSession_SaysSo_OtherChallengesDoNot()
    {
        var options = BearerOptions();
        var scheme = new AuthenticationScheme(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler));
        var ended = new DefaultHttpContext();
        ended.Items[RememberedBearerHandler.SessionEndedItem] = true;
        var endedChallenge = new JwtBearerChallengeContext(ended, scheme, options, new AuthenticationProperties());
        var otherChallenge = new JwtBearerChallengeContext(new DefaultHttpContext(), scheme, options, new AuthenticationProperties());

        await options.Events.OnChallenge(endedChallenge);
        await options.Events.OnChallenge(otherChallenge);

        Assert.Equal("invalid_token", endedChallenge.Error);
        Assert.Equal("The session this token belongs to has ended.", endedChallenge.ErrorDescription);
        Assert.Null(otherChallenge.Error);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Scheduler.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
