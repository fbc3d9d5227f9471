using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;
using Scheduler.Api.Audit;
using Scheduler.Api.Auth;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Api.Interviewers;
using Scheduler.Api.Security;
using Scheduler.Api.Users;
using Scheduler.Common;

namespace Scheduler.Api;

public static class SchedulerApiExtensions
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The HTTP surface: problem details, JWT authentication, policies, JSON and OpenAPI.</summary>
    public static WebApplicationBuilder AddSchedulerApi(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        // Binding failures (malformed JSON, a non-numeric limit) become exceptions, so one handler words them.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.AllowTrailingCommas = false;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default);
            o.SerializerOptions.Converters.Add(new InstantJsonConverter());
        });
        services.AddSchedulerProblemDetails();
        services.AddSchedulerAuthentication(builder.Configuration, builder.Environment);
        services.AddSchedulerAuthorization();
        services.AddSchedulerHardening(builder.Configuration, builder.Environment);
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Scheduler API",
                Version = "v1",
                Description = "Interview scheduling: interviewers, interviews and their audit trail.",
            });
            // A query time binds through Instant; the document shows it as what a client sends.
            swagger.MapType<Instant>(() => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" });
            swagger.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from POST /api/auth/login.",
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
        });
        return builder;
    }

    public static WebApplication UseSchedulerApi(this WebApplication app)
    {
        app.UseSchedulerForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSchedulerHardening();
        // The OpenAPI document and its UI live under /swagger: other requests skip their path matching (regular
        // expressions built per GET request).
        app.UseWhen(static context => context.Request.Path.StartsWithSegments("/swagger"), static swagger => swagger.UseSwagger().UseSwaggerUI());
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
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapSchedulerApi(this WebApplication app)
    {
        app.MapAuthEndpoints();
        app.MapInterviewersEndpoints();
        app.MapEventsEndpoints();
        app.MapAuditLogsEndpoints();
        app.MapUsersEndpoints();
        return app;
    }
}
