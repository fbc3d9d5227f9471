using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using Scheduler.Grains;
using Scheduler.Grains.Backups;
using Scheduler.Grains.Persistence;

namespace Scheduler.Silo.Hosting;

/// <summary>Configuration section <c>Orleans</c>.</summary>
public sealed class OrleansSettings
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "scheduler";

    public string ServiceId { get; set; } = "scheduler";

    /// <summary><c>Localhost</c> (one silo, membership in memory) or <c>AdoNet</c> (membership in PostgreSQL).</summary>
    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    /// <summary>
    /// The address other silos reach this one at: an IP, a host name, or <c>auto</c> (this machine's host name, as in
    /// a container); loopback by default.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The Orleans dashboard at <c>/dashboard</c>, for admins (<c>Dashboard:Enabled</c> = false turns it off).</summary>
    public bool DashboardEnabled { get; set; } = true;

    /// <summary>How this silo names itself to telemetry (<c>service.instance.id</c>).</summary>
    public string InstanceId => $"{Environment.MachineName}:{SiloPort}";
}

public enum ClusteringMode
{
    Localhost,
    AdoNet,
}

public static class SiloSetup
{
    /// <summary>
    /// The Orleans silo co-hosted with the API. <c>Storage:Provider</c> (Sqlite | PostgreSql) and
    /// <c>ConnectionStrings:Scheduler</c> say where grain state and the read model live; <c>Orleans:Clustering</c>
    /// (Localhost | AdoNet) how silos find each other.
    /// </summary>
    public static WebApplicationBuilder AddSchedulerSilo(this WebApplicationBuilder builder)
    {
        var settings = Settings(builder.Configuration);
        var database = Database(builder.Configuration);
        // Orleans binds the "Orleans" section itself and would read "Orleans:Clustering" = "AdoNet" as a provider
        // section (and fail to find provider "Default"); our value has been read above, so hide it from Orleans.
        builder.Configuration.AddInMemoryCollection([new("Orleans:Clustering", null)]);
        builder.UseOrleans(silo =>
        {
            if (settings.Clustering == ClusteringMode.AdoNet)
            {
                silo.UseSchedulerClustering(database);
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = settings.ClusterId;
                    o.ServiceId = settings.ServiceId;
                });
                ConfigureEndpoints(silo, settings);
                silo.Configure<ClusterMembershipOptions>(ConfigureFailureDetection);
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            }
            if (TelemetrySetup.Tracing(builder.Configuration))
            {
                // Without a span listener the grain-side filter starts no span, so there is nothing to carry.
                silo.AddActivityPropagation();
            }
            silo.AddSchedulerGrains(database);
            silo.AddActivationCollection(builder.Configuration);
            if (settings.DashboardEnabled)
            {
                silo.AddDashboard();
            }
        });
        builder.AddSchedulerTelemetry(settings.InstanceId);
        builder.Services.AddSchedulerBackups(builder.Configuration);
        builder.Services.AddHostedService(sp => new ClusterSettingsCheck(settings, database.Provider, sp.GetRequiredService<ILogger<ClusterSettingsCheck>>()));
        return builder;
    }

    public static SchedulerDatabase Database(IConfiguration configuration) => SchedulerDatabase.Create(
        configuration.GetValue("Storage:Provider", StorageProvider.Sqlite),
        configuration.GetConnectionString("Scheduler"),
        configuration.GetValue("Storage:Durability", SqliteDurability.Full));

    /// <summary>
    /// Failure detection for a small cluster (docs/silo-loss.md): each silo probes the others every 2.5 s (Orleans: 5 s)
    /// and suspects one after 2 missed probes (3); 2 votes (with 3 silos, both survivors) declare it dead. A killed silo
    /// is declared dead in 5-7 s instead of ~12 s; the price is that a silo that stops answering for ~5 s (a long GC
    /// pause, a starved machine) is declared dead too, and restarts.
    /// </summary>
    private static void ConfigureFailureDetection(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(2.5);
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 2;
    }

    private static void ConfigureEndpoints(ISiloBuilder silo, OrleansSettings settings)
    {
        var advertised = settings.AdvertisedAddress switch
        {
            null or "" => "127.0.0.1",
            "auto" => Dns.GetHostName(),
            var configured => configured,
        };
        if (IPAddress.TryParse(advertised, out var address))
        {
            silo.ConfigureEndpoints(address, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
        }
        else
        {
            // A host name (a container's, say): resolved now, listening on every interface.
            silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, System.Net.Sockets.AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
        }
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
            app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Scheduler.Api.Authorization.Policies.Admin).ExcludeFromDescription();
        }
        return app;
    }
}
