using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Api.Security;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Security;

/// <summary>A host with small rate limits and one allowed CORS origin.</summary>
public sealed class StrictFactory : SchedulerApiFactory
{
    public const string AllowedOrigin = "https://app.example.com";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimiting:LoginPerMinute", "5");
        builder.UseSetting("RateLimiting:PerUserPerMinute", "8");
        builder.UseSetting("Cors:AllowedOrigins", AllowedOrigin);
    }
}

/// <summary>
/// The sign-in limit on a host of its own: every test client shares one address, so a test that spends the limit
/// would refuse the sign-ins of any test after it on the same host.
/// </summary>
public sealed class LoginRateLimitTests(StrictFactory factory) : IClassFixture<StrictFactory>
{
    [Fact]
    public async Task Login_OverTheLimitPerClient_Returns429WithRetryAfter()
    {
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var n = 0; n < 7; n++)
        {
            last = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.com", password = "wrong-password" });
            statuses.Add(last.StatusCode);
        }

        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        await ApiAssert.Problem(last!, HttpStatusCode.TooManyRequests);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}

public sealed class HardeningTests(StrictFactory factory) : IClassFixture<StrictFactory>
{
    [Fact]
    public async Task SignedInUser_OverTheLimit_Returns429()
    {
        var token = await factory.TokenFor(Roles.Interviewer);
        using var client = factory.CreateClient();
        client.UseBearer(token);

        var statuses = new List<HttpStatusCode>();
        for (var n = 0; n < 10; n++)
        {
            statuses.Add((await client.GetAsync("/api/interviewers?limit=1")).StatusCode);
        }

        Assert.Equal(8, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders_AndSwaggerGetsAContentSecurityPolicy()
    {
        using var client = factory.CreateClient();

        var api = await client.GetAsync("/api/health");
        var swagger = await client.GetAsync("/swagger/index.html");

        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", api.Headers.GetValues("X-Frame-Options").Single());
        Assert.True(api.Headers.Contains("Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", swagger.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_AllowsOnlyTheConfiguredOrigin()
    {
        using var client = factory.CreateClient();

        async Task<HttpResponseMessage> Preflight(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/interviewers");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return await client.SendAsync(request);
        }

        var allowed = await Preflight(StrictFactory.AllowedOrigin);
        var other = await Preflight("https://evil.example.com");

        Assert.Equal(StrictFactory.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(allowed.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

/// <summary>A host behind a reverse proxy at 10.0.0.2, with a small sign-in limit.</summary>
public sealed class ProxiedFactory : SchedulerApiFactory
{
    public static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.2");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimiting:LoginPerMinute", "3");
        builder.UseSetting("ForwardedHeaders:KnownProxies", Proxy.ToString());
        // Every request reaches the host from the proxy's address, as it would behind nginx.
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new FromAddress(Proxy)));
    }

    private sealed class FromAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, rest) =>
            {
                context.Connection.RemoteIpAddress = address;
                return rest(context);
            });
            next(app);
        };
    }
}

public sealed class ForwardedHeadersTests(ProxiedFactory factory) : IClassFixture<ProxiedFactory>
{
    [Fact]
    public async Task Login_BehindAKnownProxy_IsLimitedPerForwardedClient()
    {
        using var client = factory.CreateClient();

        async Task<HttpStatusCode> SignIn(string forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
            {
                Content = JsonContent.Create(new { email = "nobody@example.com", password = "wrong-password" }),
            };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            return (await client.SendAsync(request)).StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var n = 0; n < 4; n++)
        {
            first.Add(await SignIn("203.0.113.7"));
        }
        var second = await SignIn("203.0.113.8");

        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);
        Assert.Equal(HttpStatusCode.Unauthorized, second);
    }
}

public sealed class CorsSetupTests
{
    [Theory]
    [InlineData("*")]
    [InlineData("https://app.example.com,*")]
    [InlineData("https://*.example.com")]
    public void Start_WithAWildcardOrigin_Throws(string origins)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cors:AllowedOrigins"] = origins }).Build();
        var environment = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" };

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddSchedulerHardening(configuration, environment));

        Assert.Contains("Cors:AllowedOrigins", error.Message, StringComparison.Ordinal);
    }
}
