using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Scheduler.Common;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests;

/// <summary>A TestCluster on a database of its own (deleted on dispose).</summary>
public abstract class ClusterFixture(int silos) : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public SchedulerDatabase Database { get; private set; } = null!;

    protected abstract StorageProvider Provider { get; }

    /// <summary>Whether the silos read <see cref="SqliteClusterFixture.Clock"/> (tests that move it share that cluster).</summary>
    protected virtual bool ManualClock => false;

    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract Task DeleteDatabaseAsync();

    public async Task InitializeAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        Database = SchedulerDatabase.Create(Provider, connectionString);
        var builder = new TestClusterBuilder(initialSilosCount: (short)silos);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Scheduler"] = connectionString,
            ["Storage:Provider"] = Provider.ToString(),
            ["Tests:ManualClock"] = ManualClock.ToString(),
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        ActorContext.Set(new Actor("test-user", "tester@example.com"));
    }

    public async Task DisposeAsync()
    {
        // Also after a failed start (xUnit disposes the fixture then too): the database and files go either way.
        try
        {
            if (Cluster is { } cluster)
            {
                await cluster.StopAllSilosAsync();
                await cluster.DisposeAsync();
            }
        }
        finally
        {
            (Database as IDisposable)?.Dispose();
            await DeleteDatabaseAsync();
        }
    }

    public T SiloService<T>(int silo = 0) where T : notnull =>
        ((InProcessSiloHandle)Cluster.Silos[silo]).ServiceProvider.GetRequiredService<T>();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            if (configuration.GetValue<bool>("Tests:ManualClock"))
            {
                siloBuilder.Services.AddSingleton<TimeProvider>(SqliteClusterFixture.Clock);
            }
            siloBuilder.AddIncomingGrainCallFilter<InjectedFaults.Filter>();
            siloBuilder.AddSchedulerGrains(SchedulerDatabase.Create(
                configuration.GetValue<StorageProvider>("Storage:Provider"), configuration.GetConnectionString("Scheduler")));
        }
    }
}

/// <summary>Two silos on a temporary SQLite file: the cluster most grain tests share.</summary>
public sealed class SqliteClusterFixture() : ClusterFixture(silos: 2)
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-grains-" + Guid.NewGuid().ToString("N"));

    /// <summary>The silos' clock (tests in the cluster collection run one at a time, so moving it is safe).</summary>
    public static ManualClock Clock { get; } = new();

    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override bool ManualClock => true;

    protected override Task<string> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult($"Data Source={Path.Combine(_directory, "scheduler.db")}");
    }

    protected override Task DeleteDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>Two silos on a fresh database of the test PostgreSQL server.</summary>
public class PostgreSqlClusterFixture : ClusterFixture
{
    private PostgreSqlTestDatabase? _database;

    public PostgreSqlClusterFixture() : this(2)
    {
    }

    protected PostgreSqlClusterFixture(int silos) : base(silos)
    {
    }

    protected override StorageProvider Provider => StorageProvider.PostgreSql;

    protected override async Task<string> CreateDatabaseAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync();
        return _database.ConnectionString;
    }

    protected override async Task DeleteDatabaseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<SqliteClusterFixture>
{
    public const string Name = "cluster";
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlClusterCollection : ICollectionFixture<PostgreSqlClusterFixture>
{
    public const string Name = "cluster-postgresql";
}
