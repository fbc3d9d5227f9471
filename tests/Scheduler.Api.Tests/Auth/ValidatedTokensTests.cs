using System.Security.Claims;
using Scheduler.Api.Auth;

namespace Scheduler.Api.Tests.Auth;

/// <summary>A remembered token gives no more than its validation did: only until it expires, and a copy per request.</summary>
public sealed class ValidatedTokensTests : IDisposable
{
    // The remembered entries also leave the cache at their expiry by the system clock, so the tests' times are near it.
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly ValidatedTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void TryGet_RememberedToken_GivesEachCallerAPrincipalOfItsOwn()
    {
        _tokens.Remember("token-1", Principal("user-1"), Now.AddMinutes(5), Now);

        Assert.True(_tokens.TryGet("token-1", Now, out var first));
        ((ClaimsIdentity)first.Identity!).AddClaim(new Claim("role", "admin"));
        Assert.True(_tokens.TryGet("token-1", Now, out var second));

        Assert.NotSame(first, second);
        Assert.Equal("user-1", second.FindFirst("sub")?.Value);
        Assert.Null(second.FindFirst("role"));
    }

    [Fact]
    public void TryGet_AtItsExpiry_IsRefused()
    {
        var expires = Now.AddMinutes(5);
        _tokens.Remember("token-1", Principal("user-1"), expires, Now);

        Assert.True(_tokens.TryGet("token-1", expires.AddTicks(-1), out _));
        Assert.False(_tokens.TryGet("token-1", expires, out _));
    }

    [Fact]
    public void Remember_TokenAlreadyExpired_IsNotRemembered()
    {
        // Expired by the time the handler remembers it, though not yet by the system clock: only the check can refuse it.
        var expires = Now.AddMinutes(5);
        _tokens.Remember("token-1", Principal("user-1"), expires, now: expires);

        Assert.False(_tokens.TryGet("token-1", Now, out _));
    }

    [Fact]
    public void TryGet_TextDifferingByOneCharacter_IsNotFound()
    {
        _tokens.Remember("header.payload.signature", Principal("user-1"), Now.AddMinutes(5), Now);

        Assert.False(_tokens.TryGet("header.payload.signaturf", Now, out _));
    }

    [Fact]
    public void Remember_BeyondCapacity_IsNotRemembered()
    {
        // 10,000 (ValidatedTokens.Capacity) tokens at most: sign-ins cannot grow the memory without bound.
        var principal = Principal("user-1");
        for (var n = 0; n < 10_000; n++)
        {
            _tokens.Remember($"token-{n}", principal, Now.AddMinutes(5), Now);
        }

        _tokens.Remember("one-too-many", principal, Now.AddMinutes(5), Now);

        Assert.False(_tokens.TryGet("one-too-many", Now, out _));
    }

    private static ClaimsPrincipal Principal(string subject) => new(new ClaimsIdentity([new Claim("sub", subject)], "Bearer"));
}
