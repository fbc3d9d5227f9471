using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;

namespace Scheduler.Api.Security;

/// <summary>Configuration section <c>RateLimiting</c>.</summary>
public sealed class RateLimitingOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per minute for one signed-in user.</summary>
    public int PerUserPerMinute { get; set; } = 600;

    /// <summary>Sign-in attempts per minute from one client IP.</summary>
    public int LoginPerMinute { get; set; } = 10;
}

/// <summary>Rate limits, CORS and security headers: the framework's and a well-kept library's, configured here.</summary>
public static class HardeningSetup
{
    public const string LoginPolicy = "login";
    private const string ApiCors = "api";

    public static IServiceCollection AddSchedulerHardening(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var limits = configuration.GetSection("RateLimiting").Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        services.AddRateLimiter(options =>
        {
            options.OnRejected = OnRejected;
            // Per user for signed-in calls; anonymous calls are limited where they matter (sign-in, per client IP).
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                !limits.Enabled || context.User.FindFirst("sub")?.Value is not { } user
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetFixedWindowLimiter("user:" + user, _ => Window(limits.PerUserPerMinute)));
            options.AddPolicy(LoginPolicy, context => !limits.Enabled
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter("ip:" + context.Connection.RemoteIpAddress, _ => Window(limits.LoginPerMinute)));
        });

        var origins = List(configuration, "Cors:AllowedOrigins");
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
        // from a proxy named here (besides loopback, ASP.NET's default), never from anyone who sends the header.
        var proxies = List(configuration, "ForwardedHeaders:KnownProxies").Select(proxy => IPAddress.TryParse(proxy, out var address)
            ? address
            : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address.")).ToArray();
        var networks = List(configuration, "ForwardedHeaders:KnownNetworks").Select(network => System.Net.IPNetwork.TryParse(network, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a network (CIDR, e.g. 172.28.0.0/24).")).ToArray();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
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

    // A list in configuration: an array section, or one comma-separated value (as an environment variable gives it).
    private static string[] List(IConfiguration configuration, string key) =>
        configuration.GetSection(key).Get<string[]>()
        ?? configuration[key]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? [];

    private static HeaderPolicyCollection Hsts(HeaderPolicyCollection policy, IHostEnvironment environment) =>
        environment.IsDevelopment() ? policy : policy.AddStrictTransportSecurityMaxAgeIncludeSubDomains(maxAgeInSeconds: 365 * 24 * 3600);

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };

    private static async ValueTask OnRejected(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds));
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
