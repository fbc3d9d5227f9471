using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Scheduler.Api.Auth;

/// <summary>
/// The bearer handler's token validation, remembered per token until the token expires: parsing a token, building
/// its claims and checking its HMAC took about a third of the CPU of a read's request pipeline, for the same few
/// tokens over and over. Only a token that passed every check is remembered, keyed by its exact text (a changed
/// byte is another key, validated afresh), and only until its <c>exp</c> (the clock skew is left to a fresh
/// validation); the validation parameters are fixed at start, so a check that passed once passes until then. Each
/// request gets its own copy of the identity.
/// </summary>
public sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler, IDisposable
{
    /// <summary>At most this many tokens are remembered (each a login's access token); past it, validation runs as usual.</summary>
    internal const int Capacity = 10_000;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public CachingJsonWebTokenHandler() => MapInboundClaims = false;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        // The lifetime check of the validation below reads the system clock too.
        var now = DateTime.UtcNow;
        if (_validated.TryGetValue(token, out Validated? known) && known!.Token.ValidTo > now)
        {
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = known.Identity.Clone(),
                SecurityToken = known.Token,
                TokenType = known.TokenType,
            };
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, SecurityToken: JsonWebToken jwt, ClaimsIdentity: { } identity } && jwt.ValidTo > now)
        {
            _validated.Set(token, new Validated(identity.Clone(), jwt, result.TokenType),
                new MemoryCacheEntryOptions { AbsoluteExpiration = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc)), Size = 1 });
        }
        return result;
    }

    public void Dispose() => _validated.Dispose();

    private sealed record Validated(ClaimsIdentity Identity, JsonWebToken Token, string? TokenType);
}
