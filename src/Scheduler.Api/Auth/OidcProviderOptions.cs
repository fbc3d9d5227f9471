namespace Scheduler.Api.Auth;

/// <summary>Configuration section <c>Authentication:{Provider}</c>; a provider is enabled by giving its client id.</summary>
public sealed class OidcProviderOptions
{
    public string? ClientId { get; set; }

    /// <summary>The issuer whose discovery document (<c>/.well-known/openid-configuration</c>) and JWKS are trusted.</summary>
    public string? Authority { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;
}
