using Scheduler.Users;

namespace Scheduler.Api.Tests.Security;

public sealed class ResponseHeaderTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private static void AssertNotStored(HttpResponseMessage response) =>
        Assert.True(response.Headers.CacheControl?.NoStore == true,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered Cache-Control: {response.Headers.CacheControl}");

    [Fact]
    public async Task TokenResponses_AreNotStored()
    {
        using var client = factory.CreateClient();
        var email = $"cache.{Guid.NewGuid():N}@example.com";
        await factory.RegisterUser(email, "Cache", "correct horse battery staple", Roles.Talent);

        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "correct horse battery staple" });
        var tokens = await ApiAssert.Json(login, HttpStatusCode.OK);
        var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() });

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        AssertNotStored(login);
        AssertNotStored(refresh);
    }

    [Fact]
    public async Task SignedInResponses_AreNotStored()
    {
        var admin = await factory.ClientAs(Roles.Admin);

        var responses = new[]
        {
            await admin.GetAsync("/api/auth/me"),
            await admin.GetAsync("/api/interviewers?limit=1"),
            await admin.GetAsync("/api/users?limit=1"),
            await admin.GetAsync($"/api/users/{Guid.NewGuid():N}"),
            await admin.GetAsync("/api/audit-logs?limit=1"),
        };

        Assert.All(responses, AssertNotStored);
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("TRACE")]
    [InlineData("POST")]
    public async Task Health_MethodOtherThanGet_Returns405(string method)
    {
        using var client = factory.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/health"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}

/// <summary>Anonymous requests are limited per client address, and a 429 says how long to wait.</summary>
public sealed class AnonymousLimitTests(AnonymousLimitFactory factory) : IClassFixture<AnonymousLimitFactory>
{
    [Fact]
    public async Task Health_OverTheLimitPerAddress_Returns429_WithTheRealWait()
    {
        using var client = factory.CreateClient();
        async Task<HttpResponseMessage> Health(string address)
        {
            using var request = FromAddressFactory.Forwarded(HttpMethod.Get, "/api/health", address);
            return await client.SendAsync(request);
        }

        // The bucket holds a minute's requests and gains one a second: spend it faster than that.
        HttpResponseMessage response;
        var sent = 0;
        do
        {
            response = await Health("203.0.113.77");
        }
        while (response.StatusCode == HttpStatusCode.OK && ++sent < 10 * AnonymousLimitFactory.PerMinute);
        var otherClient = await Health("203.0.113.78");

        await ApiAssert.Problem(response, HttpStatusCode.TooManyRequests);
        var wait = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
        await Task.Delay(wait.Value); // the wait the answer told, which is what this test checks
        Assert.Equal(HttpStatusCode.OK, (await Health("203.0.113.77")).StatusCode);
    }

    [Fact]
    public async Task BadTokens_OverTheLimitPerAddress_Return429_NotOnly401()
    {
        // Refused by authorization, and counted all the same: a flood of bad tokens is limited like any other.
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var n = 0; n < AnonymousLimitFactory.PerMinute + 5; n++)
        {
            using var request = FromAddressFactory.Forwarded(HttpMethod.Get, "/api/interviewers", "203.0.113.90");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}
