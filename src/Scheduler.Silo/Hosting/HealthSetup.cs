using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scheduler.Grains.Backups;
using Scheduler.Grains.Persistence;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Scheduler.Silo.Hosting;

public static class HealthSetup
{
    public static IServiceCollection AddSchedulerHealthChecks(this IServiceCollection services)
    {
        // Singletons: the database check keeps its last result (a check not registered is created per request).
        services.AddSingleton<SiloHealthCheck>();
        services.AddSingleton<DatabaseHealthCheck>();
        services.AddSingleton<ReadModelHealthCheck>();
        services.AddSingleton<WritesHealthCheck>();
        services.AddSingleton<BackupHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("silo", tags: [Ready])
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<ReadModelHealthCheck>("readModel", tags: [Ready])
            .AddCheck<WritesHealthCheck>("writes", tags: [Ready])
            .AddCheck<BackupHealthCheck>("backups", tags: [Ready]);
        services.AddHostedService<ShutdownDrain>();
        services.Configure<SwaggerGenOptions>(swagger => swagger.DocumentFilter<HealthDocument>());
        return services;
    }

    private const string Ready = "ready";

    private static readonly HttpMethodMetadata ReadMethods = new([HttpMethods.Get, HttpMethods.Head]);

    /// <summary>
    /// <c>/health/live</c>: the process answers (no dependency is checked). <c>/health/ready</c> and
    /// <c>/api/health</c>: the silo is active in the cluster (and not stopping), the database answers and carries
    /// the current schema, and writes are stored; 503 with the reasons otherwise. The probes answer <c>GET</c> and
    /// <c>HEAD</c>, the API's documented <c>/api/health</c> only <c>GET</c>: another method is 405.
    /// </summary>
    public static WebApplication MapSchedulerHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteResponse })
            .AllowAnonymous().WithMetadata(ReadMethods);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteResponse })
            .AllowAnonymous().WithMetadata(ReadMethods);
        app.MapHealthChecks(HealthDocument.Path, new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteResponse })
            .AllowAnonymous()
            .WithMetadata(new HttpMethodMetadata(["GET"]))
            .WithTags("Health")
            .WithDisplayName("Health");
        return app;
    }

    private static Task WriteResponse(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                reason = e.Value.Description,
            }),
        }, cancellationToken: context.RequestAborted);
    }
}

internal sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The silo is stopping."));
        }
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Silo is {status}."));
    }
}

/// <summary>Ready once the start-up recovery has finished or undone every change a crash left pending.</summary>
internal sealed class ReadModelHealthCheck(StartupCheck startup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!startup.Done ? HealthCheckResult.Unhealthy("Changes left pending by the last run are still being finished.")
            : startup.Mismatch is { } mismatch ? HealthCheckResult.Degraded($"State and read model disagree: {mismatch}")
            : HealthCheckResult.Healthy());
}

/// <summary>
/// Whether writes are stored: unhealthy while the writer's last batch was refused (a read-only or full file system,
/// the file deleted or replaced) or a batch has stalled. While they fail, each check (at most one a second) commits
/// a probe, so readiness recovers with the storage, without waiting for a client's write. The probe is anonymous:
/// the reason goes to the log.
/// </summary>
internal sealed class WritesHealthCheck(DatabaseWriter writer) : IHealthCheck
{
    private long _probedAt = -1;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = Environment.TickCount64;
        var probedAt = Interlocked.Read(ref _probedAt);
        if (writer.Problem is not null && (probedAt < 0 || now - probedAt >= 1000) && Interlocked.CompareExchange(ref _probedAt, now, probedAt) == probedAt)
        {
            try
            {
                await writer.Probe().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (TimeoutException)
            {
                // Still waiting on the storage: unhealthy below.
            }
        }
        return writer.Problem is null ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database does not store writes; the service log says why.");
    }
}

/// <summary>
/// Opens a fresh connection to the database at most once per <c>Health:DatabaseCheckSeconds</c> (1 s by default)
/// and answers from that result in between, so a load balancer polling every instance cannot turn the probe into
/// load on the database. The probe is anonymous, so it says only that the database is unavailable; what the driver
/// said (a host, a user name, an authentication failure) goes to the log, once per change.
/// </summary>
internal sealed partial class DatabaseHealthCheck(SchedulerDatabase database, IConfiguration configuration, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    private const string Unavailable = "The database does not answer or does not carry the current schema; the service log says why.";
    private const string NotCheckedYet = "not checked yet";

    private readonly long _intervalMs = (long)(configuration.GetValue("Health:DatabaseCheckSeconds", 1.0) * 1000);

    // One probe at a time, off the callers' lock: while it runs (a database that does not answer can take its
    // connect timeout), other requests answer from the last result instead of queueing behind it.
    private int _probing;
    private long _checkedAt = -1; // never
    private volatile string? _problem = NotCheckedYet;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = Environment.TickCount64;
        var checkedAt = Interlocked.Read(ref _checkedAt);
        if ((checkedAt < 0 || now - checkedAt >= _intervalMs) && Interlocked.CompareExchange(ref _probing, 1, 0) == 0)
        {
            try
            {
                var problem = await Task.Run(database.Problem, CancellationToken.None);
                if (problem is not null && problem != _problem)
                {
                    LogUnavailable(problem);
                }
                _problem = problem;
            }
            finally
            {
                Interlocked.Exchange(ref _checkedAt, Environment.TickCount64);
                Volatile.Write(ref _probing, 0);
            }
        }
        return _problem is null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(Unavailable);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: the database is unavailable: {Problem}")]
    private partial void LogUnavailable(string problem);
}

/// <summary>Degraded (still serving, 200) while the last backup failed; the log says why.</summary>
internal sealed class BackupHealthCheck(BackupService backups) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(backups.LastFailure is null ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("The last backup failed; the service log says why."));
}
