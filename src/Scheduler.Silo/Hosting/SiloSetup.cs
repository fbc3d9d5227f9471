using Orleans.Dashboard;
using Scheduler.Grains;
using Scheduler.Grains.Persistence;

namespace Scheduler.Silo.Hosting;

/// <summary>Configuration section <c>Orleans</c>.</summary>
public sealed class OrleansSettings
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "scheduler";

    public string ServiceId { get; set; } = "scheduler";

    /// <summary>The Orleans dashboard at <c>/dashboard</c>, for admins (<c>Dashboard:Enabled</c> = false turns it off).</summary>
    public bool DashboardEnabled { get; set; } = true;

    /// <summary>How this silo names itself to telemetry (<c>service.instance.id</c>).</summary>
    public string InstanceId => $"{Environment.MachineName}:{SiloPort}";
}

public static class SiloSetup
{
    /// <summary>
    /// The Orleans silo co-hosted with the API: single-host (localhost) clustering on the configured ports, grain
    /// storage and read model in the SQLite file of <c>ConnectionStrings:Scheduler</c>.
    /// </summary>
    public static WebApplicationBuilder AddSchedulerSilo(this WebApplicationBuilder builder)
    {
        var settings = Settings(builder.Configuration);
        var connectionString = builder.Configuration.GetConnectionString("Scheduler");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            silo.AddActivityPropagation();
            silo.AddSchedulerGrains(connectionString, builder.Configuration.GetValue("Storage:Durability", SqliteDurability.Full));
            if (settings.DashboardEnabled)
            {
                silo.AddDashboard();
            }
        });
        builder.AddSchedulerTelemetry(settings.InstanceId);
        return builder;
    }

    public static OrleansSettings Settings(IConfiguration configuration)
    {
        var settings = configuration.GetSection("Orleans").Get<OrleansSettings>() ?? new OrleansSettings();
        settings.DashboardEnabled = configuration.GetValue("Dashboard:Enabled", true);
        return settings;
    }

    public static WebApplication MapSchedulerDashboard(this WebApplication app)
    {
        if (Settings(app.Configuration).DashboardEnabled)
        {
            app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Scheduler.Api.Auth.Policies.Admin).ExcludeFromDescription();
        }
        return app;
    }
}
