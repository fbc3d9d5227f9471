using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>A local OpenID Connect provider: discovery document and JWKS on a loopback port, a test signing key.</summary>
public sealed class LocalOidcProvider : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalOidcProvider(WebApplication app, string authority)
    {
        _app = app;
        Authority = authority;
    }

    public RsaSecurityKey Key { get; } = new(RSA.Create(2048)) { KeyId = "test-key" };

    public string Authority { get; }

    public static async Task<LocalOidcProvider> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LocalOidcProvider? provider = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider!.Authority,
            ["jwks_uri"] = provider.Authority + "/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(provider!.Key.Rsa.ExportParameters(false)) { KeyId = provider.Key.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider = new LocalOidcProvider(app, address.TrimEnd('/'));
        return provider;
    }

    public string IdToken(string audience, string email, bool verified = true, SecurityKey? signingKey = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "external-1"), new Claim("email", email), new Claim("email_verified", verified ? "true" : "false", ClaimValueTypes.Boolean)]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(signingKey ?? Key, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class OidcFactory : SchedulerApiFactory
{
    public const string ClientId = "scheduler-test-client";

    public LocalOidcProvider Provider { get; } = LocalOidcProvider.Start().GetAwaiter().GetResult();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Authentication:Local:ClientId", ClientId);
        builder.UseSetting("Authentication:Local:Authority", Provider.Authority);
        builder.UseSetting("Authentication:Local:RequireHttpsMetadata", "false");
        // A provider whose discovery document cannot be fetched: nothing listens on the port.
        builder.UseSetting("Authentication:Down:ClientId", ClientId);
        builder.UseSetting("Authentication:Down:Authority", $"http://127.0.0.1:{Loopback.FreePort()}");
        builder.UseSetting("Authentication:Down:RequireHttpsMetadata", "false");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public sealed class OidcSignInTests(OidcFactory factory) : IClassFixture<OidcFactory>
{
    private async Task<string> ExistingUser()
    {
        var email = $"oidc.{Guid.NewGuid():N}@example.com";
        await factory.RegisterUser(email, "Oidc User", "a-long-enough-password", Roles.Talent);
        return email;
    }

    [Fact]
    public async Task ValidTokenForKnownVerifiedEmail_IssuesOurTokens()
    {
        using var client = factory.CreateClient();
        var email = await ExistingUser();

        var response = await client.PostAsJsonAsync("/api/auth/oidc/local", new { idToken = factory.Provider.IdToken(OidcFactory.ClientId, email.ToUpperInvariant()) });

        var body = await ApiAssert.Json(response, HttpStatusCode.OK);
        client.UseTokens(body);
        var me = await ApiAssert.Json(await client.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refreshToken").GetString()));
    }

    [Fact]
    public async Task BadTokens_AndUnknownUsers_Return401()
    {
        using var client = factory.CreateClient();
        var email = await ExistingUser();
        var otherKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" };

        async Task Refused(string idToken) =>
            await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/oidc/local", new { idToken }), HttpStatusCode.Unauthorized);

        await Refused(factory.Provider.IdToken("another-client", email));
        await Refused(factory.Provider.IdToken(OidcFactory.ClientId, email, verified: false));
        await Refused(factory.Provider.IdToken(OidcFactory.ClientId, email, signingKey: otherKey));
        await Refused(factory.Provider.IdToken(OidcFactory.ClientId, $"stranger.{Guid.NewGuid():N}@example.com"));
        await Refused("not-a-token");
    }

    [Fact]
    public async Task ProviderUnreachable_Returns503()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/oidc/down", new { idToken = factory.Provider.IdToken(OidcFactory.ClientId, "anyone@example.com") });

        var problem = await ApiAssert.Problem(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("identity_provider_unavailable", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task DisabledProvider_Returns404()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/oidc/google", new { idToken = "x" });

        await ApiAssert.Problem(response, HttpStatusCode.NotFound);
    }
}
