using Scheduler.Grains.Persistence;

namespace Scheduler.Silo.Hosting;

/// <summary>
/// Warns at start about cluster settings with which a silo starts but a cluster cannot work. Both are valid for
/// one silo (or, for the first, several on one host), so they are warnings, not refusals.
/// </summary>
internal sealed partial class ClusterSettingsCheck(OrleansSettings settings, StorageProvider storage, ILogger<ClusterSettingsCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Clustering == ClusteringMode.AdoNet && string.IsNullOrEmpty(settings.AdvertisedAddress))
        {
            LogLoopbackAdvertised();
        }
        if (storage == StorageProvider.PostgreSql && settings.Clustering == ClusteringMode.Localhost)
        {
            LogClusterOfItsOwn();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orleans:Clustering is AdoNet but Orleans:AdvertisedAddress is not set: this silo advertises 127.0.0.1, which silos on other hosts cannot reach (and silos on two hosts would claim the same endpoint). Set it to this host's address, or to 'auto' for its host name.")]
    private partial void LogLoopbackAdvertised();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage:Provider is PostgreSql with Orleans:Clustering Localhost: this silo is a cluster of its own, and a second silo on the same database would activate the same grains. Run one silo, or set Orleans:Clustering to AdoNet.")]
    private partial void LogClusterOfItsOwn();
}
