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
    /// variables apply); a Prometheus endpoint at <c>/metrics</c> on a management port of its own
    /// (<c>Telemetry:MetricsPort</c>) when <c>Telemetry:Prometheus</c> is true. Logs:
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
        if (prometheus)
        {
            ListenOnMetricsPort(builder);
        }
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
        else
        {
            builder.Services.AddHostedService<RequestActivities>();
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

    /// <summary>The management port's default: the port registered for OpenTelemetry's Prometheus exporter.</summary>
    public const int DefaultMetricsPort = 9464;

    /// <summary>
    /// <c>/metrics</c>, anonymous, on the management port only; that port answers nothing else (404). A scraper holds no
    /// bearer token (ours live 15 minutes), so the scrape is kept off the public port instead: the load balancer never
    /// routes to it, and the network (the compose file's, a Kubernetes network policy) decides who reaches it.
    /// </summary>
    public static WebApplication MapSchedulerTelemetry(this WebApplication app)
    {
        if (app.Configuration.GetValue("Telemetry:Prometheus", false))
        {
            var port = MetricsPort(app.Configuration);
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path == "/metrics");
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort == port)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }
                return next(context);
            });
        }
        return app;
    }

    private static int MetricsPort(IConfiguration configuration) => configuration.GetValue("Telemetry:MetricsPort", DefaultMetricsPort);

    // Kestrel listens where `urls` (or ASPNETCORE_HTTP_PORTS, as the container image sets) says, and on the management port.
    private static void ListenOnMetricsPort(WebApplicationBuilder builder)
    {
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrEmpty(urls))
        {
            var ports = builder.WebHost.GetSetting("http_ports");
            urls = string.IsNullOrEmpty(ports)
                ? "http://localhost:5000"
                : string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p}"));
        }
        var host = builder.Configuration["Telemetry:MetricsHost"] ?? "*";
        builder.WebHost.UseUrls($"{urls};http://{host}:{MetricsPort(builder.Configuration).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }
}
