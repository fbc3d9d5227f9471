using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Scheduler.Common;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests;

/// <summary>A 2-silo TestCluster on its own temporary SQLite file (deleted on dispose).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-grains-" + Guid.NewGuid().ToString("N"));

    /// <summary>The silos' clock (tests in the cluster collection run one at a time, so moving it is safe).</summary>
    public static ManualClock Clock { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public string ConnectionString => $"Data Source={Path.Combine(_directory, "scheduler.db")}";

    public IGrainFactory Grains => Cluster.GrainFactory;

    public SchedulerDatabase Database => new(ConnectionString);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureHostConfiguration(config =>
            config.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Scheduler"] = ConnectionString }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        ActorContext.Set(new Actor("test-user", "tester@example.com"));
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    public T SiloService<T>(int silo = 0) where T : notnull =>
        ((InProcessSiloHandle)Cluster.Silos[silo]).ServiceProvider.GetRequiredService<T>();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddSingleton<TimeProvider>(Clock);
            siloBuilder.AddSchedulerGrains(siloBuilder.Configuration.GetConnectionString("Scheduler"));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
