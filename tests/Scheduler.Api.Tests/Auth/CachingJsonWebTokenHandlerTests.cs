using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scheduler.Api.Auth;

namespace Scheduler.Api.Tests.Auth;

/// <summary>A remembered validation never accepts what a fresh one would refuse.</summary>
public sealed class CachingJsonWebTokenHandlerTests : IDisposable
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("handler-test-signing-key-0123456789-abcdefgh"));

    private readonly CachingJsonWebTokenHandler _handler = new();

    private static TokenValidationParameters Parameters => new()
    {
        ValidIssuer = "scheduler",
        ValidAudience = "scheduler-api",
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
    };

    public void Dispose() => _handler.Dispose();

    [Fact]
    public async Task Validate_SameTokenTwice_IsValidEachTimeWithAnIdentityOfItsOwn()
    {
        var token = Token(DateTime.UtcNow.AddMinutes(5));

        var first = await _handler.ValidateTokenAsync(token, Parameters);
        var second = await _handler.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("user-1", second.ClaimsIdentity.FindFirst("sub")?.Value);
        second.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        var third = await _handler.ValidateTokenAsync(token, Parameters);
        Assert.Null(third.ClaimsIdentity.FindFirst("role"));
    }

    [Fact]
    public async Task Validate_TamperedCopyOfARememberedToken_IsInvalid()
    {
        var token = Token(DateTime.UtcNow.AddMinutes(5));
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters)).IsValid);
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("user-1", "user-2", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        var result = await _handler.ValidateTokenAsync(tampered, Parameters);

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task Validate_InvalidToken_StaysInvalidOnEveryAttempt()
    {
        var token = Token(DateTime.UtcNow.AddMinutes(5), audience: "another-api");

        var results = new[] { await _handler.ValidateTokenAsync(token, Parameters), await _handler.ValidateTokenAsync(token, Parameters) };

        Assert.All(results, result => Assert.False(result.IsValid));
    }

    [Fact]
    public async Task Validate_RememberedTokenOnceExpired_IsInvalid()
    {
        var expires = DateTime.UtcNow.AddSeconds(2);
        var token = Token(expires);
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters)).IsValid);

        // JWT times are whole seconds: wait (bounded) until the clock is past the token's exp.
        var exp = new JsonWebToken(token).ValidTo;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow <= exp)
        {
            await Task.Delay(50, timeout.Token);
        }
        var result = await _handler.ValidateTokenAsync(token, Parameters);

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(result.Exception);
    }

    private static string Token(DateTime expires, string audience = "scheduler-api") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "scheduler",
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim("sub", "user-1")]),
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        IssuedAt = DateTime.UtcNow.AddMinutes(-1),
        Expires = expires,
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });
}
