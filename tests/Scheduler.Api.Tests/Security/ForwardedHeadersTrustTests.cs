namespace Scheduler.Api.Tests.Security;

/// <summary>
/// No proxy is trusted unless configured: not even loopback, which ASP.NET Core trusts by default. A process on the
/// host (or anything a port forward brings there) would otherwise pick a new client address per request.
/// </summary>
public sealed class ForwardedHeadersTrustTests(LoopbackClientFactory factory) : IClassFixture<LoopbackClientFactory>
{
    [Fact]
    public async Task Login_FromLoopbackRotatingXForwardedFor_IsLimitedAsOneClient()
    {
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var n = 1; n <= 4; n++)
        {
            using var request = FromAddressFactory.Forwarded(HttpMethod.Post, "/api/auth/login", $"203.0.113.{n}",
                new { email = "nobody@example.com", password = "wrong-password" });
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }
}
