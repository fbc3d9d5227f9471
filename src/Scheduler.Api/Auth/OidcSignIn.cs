using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Scheduler.Users;

namespace Scheduler.Api.Auth;

/// <summary>
/// Sign-in with an ID token from an OpenID Connect provider (Google by default authority): the token is checked
/// against the provider's discovery document and keys, must carry a verified email, and must belong to an
/// existing user (there is no self-registration). An ID token opens one session only: the user grain keeps its hash
/// until it expires (plus the clock skew allowed here), and refuses it a second time.
/// </summary>
public sealed class OidcSignIn(IConfiguration configuration)
{
    private static readonly Dictionary<string, string> KnownAuthorities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["google"] = "https://accounts.google.com",
    };

    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _metadata = new(StringComparer.OrdinalIgnoreCase);
    private readonly JsonWebTokenHandler _handler = new();

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        string provider, OidcSignInRequest request, OidcSignIn oidc, IGrainFactory grains, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        if (oidc.Provider(provider) is not { } options)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"Sign-in with '{provider}' is not enabled.");
        }
        if (request.IdToken is not { Length: > 0 and <= 16_384 } idToken)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["idToken"] = ["'idToken' is required."] });
        }
        var verified = await oidc.VerifiedEmail(provider, options, idToken, cancellationToken);
        var user = verified is null ? null : await grains.GetGrain<IUserDirectoryGrain>(0).FindByEmail(verified.Value.Email);
        var session = user is null ? null : await grains.GetGrain<IUserGrain>(user.Id)
            .SignInExternally(provider, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(idToken))), verified!.Value.Expires + ClockSkew);
        if (session is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "The identity token is not valid, was used before, its email is not verified, or no user has that email.");
        }
        var access = tokens.Issue(session);
        return TypedResults.Ok(new TokenResponse(access.Token, session.RefreshToken, "Bearer", access.ExpiresInSeconds));
    }

    private OidcProviderOptions? Provider(string provider)
    {
        if (provider.Length > 32 || !provider.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }
        var options = configuration.GetSection($"Authentication:{provider}").Get<OidcProviderOptions>();
        if (string.IsNullOrEmpty(options?.ClientId))
        {
            return null;
        }
        options.Authority ??= KnownAuthorities.GetValueOrDefault(provider);
        return options.Authority is null ? null : options;
    }

    private async Task<(string Email, DateTimeOffset Expires)?> VerifiedEmail(string provider, OidcProviderOptions options, string idToken, CancellationToken cancellationToken)
    {
        var metadata = _metadata.GetOrAdd(provider, _ => new ConfigurationManager<OpenIdConnectConfiguration>(
            options.Authority!.TrimEnd('/') + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = options.RequireHttpsMetadata }));
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException unreachable) when (!cancellationToken.IsCancellationRequested)
        {
            // The provider's discovery document or keys could not be fetched: its outage, not a bad token (503).
            throw new IdentityProviderUnavailableException(provider, unreachable);
        }
        var result = await _handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = options.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidateIssuerSigningKey = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
        });
        if (!result.IsValid)
        {
            return null;
        }
        var claims = result.ClaimsIdentity;
        var verified = claims.FindFirst("email_verified")?.Value;
        var email = string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase) ? claims.FindFirst(ClaimTypes.Email)?.Value ?? claims.FindFirst("email")?.Value : null;
        return email is null ? null : (email, new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero));
    }
}

/// <summary>An OpenID Connect provider's discovery document or keys could not be fetched; the API answers 503.</summary>
public sealed class IdentityProviderUnavailableException(string provider, Exception innerException)
    : Exception($"The identity provider '{provider}' could not be reached.", innerException);
