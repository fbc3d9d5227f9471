namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>
/// Silo processes on loopback ports sharing one fresh PostgreSQL database (membership, grain state, read model);
/// disposing it kills what still runs, drops the database and deletes the silos' folders. A class fixture: each
/// test class gets a cluster of its own.
/// </summary>
public sealed class ProcessCluster : IAsyncLifetime
{
    private readonly List<TempDirectory> _directories = [];
    private readonly List<SchedulerProcess> _processes = [];
    private PostgreSqlTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync();

    /// <summary>The silos' database, for a test to look into.</summary>
    public string ConnectionString => _database.ConnectionString;

    /// <summary>Every silo started so far (stopped ones included), for their output.</summary>
    public IReadOnlyList<SchedulerProcess> Processes => _processes;

    public SchedulerProcess StartSilo(IDictionary<string, string?>? settings = null)
    {
        var directory = new TempDirectory();
        _directories.Add(directory);
        var environment = new Dictionary<string, string?>
        {
            ["Storage__Provider"] = "PostgreSql",
            ["ConnectionStrings__Scheduler"] = _database.ConnectionString,
            ["Orleans__Clustering"] = "AdoNet",
            ["Orleans__ClusterId"] = _database.Name,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        var process = SchedulerProcess.Start(directory.Path, environment);
        _processes.Add(process);
        return process;
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await _database.DisposeAsync();
        foreach (var directory in _directories)
        {
            directory.Dispose();
        }
    }
}
