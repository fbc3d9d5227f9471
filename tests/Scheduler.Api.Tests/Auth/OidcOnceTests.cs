using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>An ID token opens one session, and a password lockout does not refuse a sign-in the provider vouched for.</summary>
public sealed class OidcOnceTests(OidcFactory factory) : IClassFixture<OidcFactory>
{
    private async Task<string> ExistingUser()
    {
        var email = $"once.{Guid.NewGuid():N}@example.com";
        await factory.RegisterUser(email, "Oidc User", "correct horse battery staple", Roles.Talent);
        return email;
    }

    [Fact]
    public async Task IdToken_ExchangedTwice_TheSecondIsRefused()
    {
        using var client = factory.CreateClient();
        var idToken = factory.Provider.IdToken(OidcFactory.ClientId, await ExistingUser());

        var first = await client.PostAsJsonAsync("/api/auth/oidc/local", new { idToken });
        var second = await client.PostAsJsonAsync("/api/auth/oidc/local", new { idToken });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ApiAssert.Problem(second, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OidcSignIn_WhileThePasswordIsLockedOut_Succeeds()
    {
        using var client = factory.CreateClient();
        var email = await ExistingUser();
        for (var n = 0; n < 5; n++)
        {
            await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "a-wrong-password" }), HttpStatusCode.Unauthorized);
        }

        var response = await client.PostAsJsonAsync("/api/auth/oidc/local", new { idToken = factory.Provider.IdToken(OidcFactory.ClientId, email) });

        client.UseTokens(await ApiAssert.Json(response, HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
    }
}
