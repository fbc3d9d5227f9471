using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scheduler.Grains.Persistence;

namespace Scheduler.Silo.Hosting;

public static class HealthSetup
{
    public static IServiceCollection AddSchedulerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("silo")
            .AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    /// <summary><c>GET /api/health</c>: 200 <c>{"status":"healthy",…}</c> when the silo is active and the database answers, else 503.</summary>
    public static WebApplication MapSchedulerHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/api/health", new HealthCheckOptions { ResponseWriter = WriteResponse })
            .AllowAnonymous()
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
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant()),
        }, cancellationToken: context.RequestAborted);
    }
}

internal sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Silo is {status}."));
    }
}

internal sealed class DatabaseHealthCheck(SchedulerDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.Ping() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database does not answer."));
}
