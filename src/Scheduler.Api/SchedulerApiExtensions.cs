using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scheduler.Api.Audit;
using Scheduler.Api.Auth;
using Scheduler.Api.Authorization;
using Scheduler.Api.Availability;
using Scheduler.Api.Backups;
using Scheduler.Api.CalendarFeeds;
using Scheduler.Api.Calendars;
using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Api.Exports;
using Scheduler.Api.Interviewers;
using Scheduler.Api.Live;
using Scheduler.Api.Notifications;
using Scheduler.Api.OpenApi;
using Scheduler.Api.Security;
using Scheduler.Api.Users;
using Scheduler.Api.Webhooks;
using Scheduler.Common;

namespace Scheduler.Api;

public static class SchedulerApiExtensions
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The longest request target (path and query) the API reads; a longer one is a 414 problem.</summary>
    public const int MaxRequestTargetLength = 8 * 1024;

    /// <summary>The HTTP surface: problem details, JWT authentication, policies, JSON and OpenAPI.</summary>
    public static WebApplicationBuilder AddSchedulerApi(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            // Kestrel answers a request line over its limit itself, with an empty 414. It reads up to 64 KiB, so that the
            // API answers a target over its own limit (RequestTargetLimit) as problem+json, like every other error.
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
        });
        // The hosting log's "Request starting" line carries the query string, where a browser puts the live hub's
        // access token, and its request scope (on every line logged in a request) the path, which for a calendar feed is
        // its credential (/calendar/{token}.ics): both are off. Lines in a request carry its trace and span ids instead,
        // and the exception handler names the route.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        // Binding failures (malformed JSON, a non-numeric limit) become exceptions, so one handler words them.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.AllowTrailingCommas = false;
            // A member given twice is a 400: a proxy that reads the first would otherwise see another request than we do.
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default);
            o.SerializerOptions.Converters.Add(new InstantJsonConverter());
        });
        services.AddSchedulerProblemDetails();
        services.AddSchedulerAuthentication(builder.Configuration, builder.Environment);
        services.AddSchedulerAuthorization();
        services.AddSchedulerHardening(builder.Configuration, builder.Environment);
        services.AddSchedulerOpenApi();
        services.AddSchedulerLive();
        return builder;
    }

    public static WebApplication UseSchedulerApi(this WebApplication app)
    {
        app.UseSchedulerForwardedHeaders();
        app.UseExceptionHandler();
        app.Use(static (context, next) =>
        {
            // Before authentication (whose session check reads a grain): whether a failure leaves the request in doubt.
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                ChangesSent.Track(context);
            }
            return next(context);
        });
        app.UseStatusCodePages();
        app.UseSchedulerHardening();
        app.Use(RequestTargetLimit);
        // The OpenAPI document and its UI live under /swagger: other requests skip their path matching (regular
        // expressions built per GET request).
        app.UseSchedulerOpenApi();
        app.UseAuthentication();
        app.UseSchedulerNoStore();
        app.Use(static (context, next) =>
        {
            // Audit stamping: the acting user travels to the grains in the Orleans request context, with the requests
            // that can change something (a read stamps nothing, and every grain call would copy the context for it).
            if (context.User.Identity?.IsAuthenticated == true && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                ActorContext.Set(new Actor(context.User.FindFirst("sub")?.Value ?? "", context.User.FindFirst("email")?.Value ?? ""));
            }
            return next(context);
        });
        // Before authorization: a request refused there (401, 403) is counted too, or a flood of them never would be.
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private static Task RequestTargetLimit(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if ((request.PathBase.Value?.Length ?? 0) + (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) <= MaxRequestTargetLength)
        {
            return next(context);
        }
        context.Response.StatusCode = StatusCodes.Status414UriTooLong;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status414UriTooLong,
                Title = "URI Too Long",
                Detail = $"The request's path and query are longer than {MaxRequestTargetLength} characters.",
            },
        }).AsTask();
    }

    public static WebApplication MapSchedulerApi(this WebApplication app)
    {
        app.MapAuthEndpoints();
        app.MapInterviewersEndpoints();
        app.MapEventsEndpoints();
        app.MapAuditLogsEndpoints();
        app.MapUsersEndpoints();
        app.MapNotificationsEndpoints();
        app.MapLinkedCalendarsEndpoints();
        app.MapWebhooksEndpoints();
        app.MapLiveApi();
        app.MapAvailabilityEndpoints();
        app.MapBackupsEndpoints();
        app.MapCalendarEndpoints();
        app.MapExportsEndpoints();
        return app;
    }
}
