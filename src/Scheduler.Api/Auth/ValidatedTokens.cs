using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;

namespace Scheduler.Api.Auth;

/// <summary>
/// Bearer tokens the JWT bearer handler accepted, each with the principal it built, until the token expires. Keyed by
/// the exact token text: a changed byte is another key, validated afresh. The validation parameters are fixed at
/// start, so a token that passed once passes until its <c>exp</c> (the clock skew is left to a fresh validation).
/// Each request gets its own copy of the principal.
/// </summary>
public sealed class ValidatedTokens : IDisposable
{
    /// <summary>At most this many tokens are remembered (each a sign-in's access token); past it, validation runs as usual.</summary>
    internal const int Capacity = 10_000;

    private readonly MemoryCache _tokens = new(new MemoryCacheOptions { SizeLimit = Capacity });

    /// <summary>A copy of the principal <paramref name="token"/> was accepted with, if it was and has not expired at <paramref name="now"/>.</summary>
    public bool TryGet(string token, DateTimeOffset now, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        if (_tokens.TryGetValue(token, out Accepted? accepted) && accepted!.Expires > now)
        {
            principal = Copy(accepted.Principal);
            return true;
        }
        principal = null;
        return false;
    }

    /// <summary>Remembers <paramref name="principal"/> for <paramref name="token"/>, which the bearer handler accepted, until it expires.</summary>
    public void Remember(string token, ClaimsPrincipal principal, DateTimeOffset expires, DateTimeOffset now)
    {
        if (expires > now)
        {
            _tokens.Set(token, new Accepted(Copy(principal), expires), new MemoryCacheEntryOptions { AbsoluteExpiration = expires, Size = 1 });
        }
    }

    public void Dispose() => _tokens.Dispose();

    // ClaimsPrincipal.Clone shares the identities: a claim added to one request's would show in the next one's.
    private static ClaimsPrincipal Copy(ClaimsPrincipal principal) => new(principal.Identities.Select(identity => identity.Clone()));

    private sealed record Accepted(ClaimsPrincipal Principal, DateTimeOffset Expires);
}
