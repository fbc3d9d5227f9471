using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Scheduler.Api.Security;

/// <summary>Configuration section <c>RateLimiting</c>.</summary>
public sealed class RateLimitingOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per minute for one signed-in user.</summary>
    public int PerUserPerMinute { get; set; } = 600;

    /// <summary>Sign-in, refresh and OpenID Connect attempts per minute from one client address.</summary>
    public int LoginPerMinute { get; set; } = 10;

    /// <summary>Requests per minute from one client address without a valid token (health, sign-in, anything refused 401).</summary>
    public int AnonymousPerMinute { get; set; } = 300;
}

/// <summary>
/// Rate limits, CORS, forwarded headers and security headers: the framework's and a well-kept library's, configured here.
/// Each limit is a token bucket of a minute's permits, refilled evenly over the minute: a client over it waits for the
/// next permit, and <c>Retry-After</c> says how long that is (not the rest of a fixed minute).
/// </summary>
public static class HardeningSetup
{
    public const string LoginPolicy = "login";
    private const string ApiCors = "api";

    // The partitioned limiter adds the permits of each bucket every 100 ms.
    private static readonly TimeSpan ReplenishInterval = TimeSpan.FromMilliseconds(100);
    private static readonly StringValues NoStore = new("no-store");
    private static readonly StringValues NoCache = new("no-cache");

    public static IServiceCollection AddSchedulerHardening(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var limits = configuration.GetSection("RateLimiting").Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        services.AddRateLimiter(options =>
        {
            options.OnRejected = OnRejected;
            // Per user for signed-in calls, per client address for every other one; sign-in, refresh and OpenID Connect
            // have a tighter limit of their own, per client address as well.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                !limits.Enabled ? RateLimitPartition.GetNoLimiter("")
                : context.User.FindFirst("sub")?.Value is { } user ? RateLimitPartition.GetTokenBucketLimiter("user:" + user, _ => PerMinute(limits.PerUserPerMinute))
                : RateLimitPartition.GetTokenBucketLimiter("anonymous:" + ClientAddress.Of(context), _ => PerMinute(limits.AnonymousPerMinute)));
            options.AddPolicy(LoginPolicy, context => !limits.Enabled
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetTokenBucketLimiter("ip:" + ClientAddress.Of(context), _ => PerMinute(limits.LoginPerMinute)));
        });

        var origins = List(configuration, "Cors:AllowedOrigins");
        if (origins.FirstOrDefault(origin => origin.Contains('*', StringComparison.Ordinal)) is { } wildcard)
        {
            // ASP.NET Core reads a lone * as "any origin": every web page could call the API with a user's token.
            throw new InvalidOperationException(
                $"Cors:AllowedOrigins: '{wildcard}' is a wildcard; list the web app's origins instead (e.g. https://app.example.com).");
        }
        // Only the configured origins; bearer tokens travel in a header, so no credentials (cookies) are allowed.
        services.AddCors(cors => cors.AddPolicy(ApiCors, policy => policy
            .WithOrigins(origins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("ETag", "Location", "Retry-After")
            // A browser may reuse a preflight's answer for 10 minutes instead of asking before every write.
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        // Behind a reverse proxy every request comes from the proxy's address: the per-client sign-in limit would be
        // one bucket for everyone. The client's address is taken from X-Forwarded-For only when the request comes
        // from a proxy named here, never from anyone who sends the header. Not even from loopback, which ASP.NET
        // trusts by default: a process on the host (or a port forwarded to it) would choose its own address.
        var proxies = List(configuration, "ForwardedHeaders:KnownProxies").Select(proxy => IPAddress.TryParse(proxy, out var address)
            ? address
            : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address.")).ToArray();
        var networks = List(configuration, "ForwardedHeaders:KnownNetworks").Select(network => System.Net.IPNetwork.TryParse(network, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a network (CIDR, e.g. 172.28.0.0/24).")).ToArray();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // With both lists empty the middleware would trust every sender: then it reads no header at all.
            options.ForwardedHeaders = proxies.Length + networks.Length == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });

        services.AddSecurityHeaderPolicies(policies => policies
            .SetDefaultPolicy(p => Hsts(p.AddDefaultApiSecurityHeaders(), environment))
            .AddPolicy("ui", p => Hsts(p.AddDefaultSecurityHeaders(), environment)
                .AddContentSecurityPolicy(csp =>
                {
                    csp.AddDefaultSrc().Self();
                    csp.AddScriptSrc().Self().UnsafeInline();
                    csp.AddStyleSrc().Self().UnsafeInline();
                    csp.AddImgSrc().Self().Data();
                    csp.AddFrameAncestors().None();
                }))
            .SetPolicySelector(context =>
                context.HttpContext.Request.Path.StartsWithSegments("/swagger") || context.HttpContext.Request.Path.StartsWithSegments("/dashboard")
                    ? context.ConfiguredPolicies["ui"]
                    : context.DefaultPolicy));
        return services;
    }

    /// <summary>The client's address and scheme from a known proxy's headers: first, before anything reads them.</summary>
    public static WebApplication UseSchedulerForwardedHeaders(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }

    public static WebApplication UseSchedulerHardening(this WebApplication app)
    {
        app.UseSecurityHeaders();
        // The CORS headers depend on the request's Origin: a shared cache must not hand one origin's answer to another.
        app.Use(static (context, next) =>
        {
            context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
            return next(context);
        });
        app.UseCors(ApiCors);
        return app;
    }

    /// <summary>
    /// After authentication: tokens (anything under <c>/api/auth</c>) and every response to a signed-in request are
    /// never stored by a browser or a proxy (RFC 6749 5.1, RFC 9111 5.2.2.5).
    /// </summary>
    public static WebApplication UseSchedulerNoStore(this WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true)
            {
                context.Response.Headers.CacheControl = NoStore;
            }
            else if (context.Request.Path.StartsWithSegments("/api/auth"))
            {
                context.Response.Headers.CacheControl = NoStore;
                context.Response.Headers.Pragma = NoCache;
            }
            return next(context);
        });
        return app;
    }

    // A list in configuration: an array section, or one comma-separated value (as an environment variable gives it).
    private static string[] List(IConfiguration configuration, string key) =>
        configuration.GetSection(key).Get<string[]>()
        ?? configuration[key]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? [];

    private static HeaderPolicyCollection Hsts(HeaderPolicyCollection policy, IHostEnvironment environment) =>
        environment.IsDevelopment() ? policy : policy.AddStrictTransportSecurityMaxAgeIncludeSubDomains(maxAgeInSeconds: 365 * 24 * 3600);

    // A minute's permits at once, then one more every minute / permits (the partitioned limiter adds them as time passes).
    private static TokenBucketRateLimiterOptions PerMinute(int permits) => new()
    {
        TokenLimit = permits,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, permits),
        QueueLimit = 0,
        AutoReplenishment = false,
    };

    private static async ValueTask OnRejected(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        // The time until the next permit, plus the time between refills: a client that waits as told gets in.
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = (int)Math.Ceiling(Math.Max(1, (retryAfter + ReplenishInterval).TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too Many Requests",
                Detail = $"Rate limit reached; retry in {seconds} s.",
                Extensions = { ["code"] = "rate_limited" },
            },
        });
    }
}
