using Scheduler.Grains;

namespace Scheduler.Silo.Hosting;

/// <summary>Configuration section <c>Orleans</c>.</summary>
public sealed class OrleansSettings
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "scheduler";

    public string ServiceId { get; set; } = "scheduler";
}

public static class SiloSetup
{
    /// <summary>
    /// The Orleans silo co-hosted with the API: single-host (localhost) clustering on the configured ports, grain
    /// storage and read model in the SQLite file of <c>ConnectionStrings:Scheduler</c>.
    /// </summary>
    public static WebApplicationBuilder AddSchedulerSilo(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Orleans").Get<OrleansSettings>() ?? new OrleansSettings();
        var connectionString = builder.Configuration.GetConnectionString("Scheduler");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            silo.AddSchedulerGrains(connectionString);
        });
        return builder;
    }
}
