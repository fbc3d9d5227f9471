using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Silo.Hosting;

/// <summary>Traces, metrics and logs, in one place.</summary>
public static class TelemetrySetup
{
    public const string ServiceName = "scheduler";

    /// <summary>
    /// OpenTelemetry for ASP.NET Core, HttpClient, the .NET runtime, Orleans (meter and activity sources) and our
    /// own source and meter. OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard <c>OTEL_*</c>
    /// variables apply); a Prometheus endpoint at <c>/metrics</c> when <c>Telemetry:Prometheus</c> is true. Logs:
    /// JSON lines with trace and span ids outside Development, the readable console in Development.
    /// </summary>
    public static WebApplicationBuilder AddSchedulerTelemetry(this WebApplicationBuilder builder, string siloInstanceId)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }

        var otlp = Otlp(builder.Configuration);
        var prometheus = builder.Configuration.GetValue("Telemetry:Prometheus", false);
        var tracing = Tracing(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? ServiceName, serviceInstanceId: siloInstanceId));
        if (tracing)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = context => !context.Request.Path.StartsWithSegments("/health");
                    // A calendar feed's path is its credential: spans carry the route instead.
                    o.EnrichWithHttpRequest = (activity, request) =>
                    {
                        if (request.Path.StartsWithSegments("/calendar"))
                        {
                            activity.SetTag("url.path", "/calendar/{token}.ics");
                        }
                    };
                })
                .AddHttpClientInstrumentation()
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage")
                .AddSource(SchedulerTelemetry.Name));
        }
        if (otlp || prometheus)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("Microsoft.Orleans", SchedulerTelemetry.Name);
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        }
        if (otlp)
        {
            telemetry.WithLogging().UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// Whether spans are collected. A signal is collected only when something exports it: with no exporter, no span
    /// is created (an exporter added in code, as the tests do, sets <c>Telemetry:Tracing</c>).
    /// </summary>
    public static bool Tracing(IConfiguration configuration) => Otlp(configuration) || configuration.GetValue("Telemetry:Tracing", false);

    private static bool Otlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static WebApplication MapSchedulerTelemetry(this WebApplication app)
    {
        if (app.Configuration.GetValue("Telemetry:Prometheus", false))
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        }
        return app;
    }
}
