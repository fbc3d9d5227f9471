using Scheduler.Api.Tests.Security;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>
/// Failed sign-ins count per account and client address: a stranger's wrong passwords lock the stranger out, not the
/// owner. The host sits behind a proxy in a configured network (<c>ForwardedHeaders__KnownNetworks</c>), which names
/// the client.
/// </summary>
public sealed class LockoutPerAddressTests(ProxiedNetworkFactory factory) : IClassFixture<ProxiedNetworkFactory>
{
    [Fact]
    public async Task FiveFailuresFromOneAddress_LockThatAddress_TheOwnerSignsInFromAnother()
    {
        using var client = factory.CreateClient();
        var email = $"net.{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery staple";
        await factory.RegisterUser(email, "Networked", password, Roles.Talent);

        for (var n = 0; n < 5; n++)
        {
            using var wrong = FromAddressFactory.Forwarded(HttpMethod.Post, "/api/auth/login", "203.0.113.50", new { email, password = "not-the-password" });
            await client.SendAsync(wrong);
        }
        using var lockedOut = FromAddressFactory.Forwarded(HttpMethod.Post, "/api/auth/login", "203.0.113.50", new { email, password });
        using var other = FromAddressFactory.Forwarded(HttpMethod.Post, "/api/auth/login", "198.51.100.4", new { email, password });

        await ApiAssert.Problem(await client.SendAsync(lockedOut), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(other)).StatusCode);
    }
}
