using Microsoft.Data.Sqlite;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>
/// A database of one test's own, deleted after it: a SQLite file in a temporary folder, or a database of its own on
/// the tests' PostgreSQL server.
/// </summary>
public abstract class OwnDatabase
{
    public static OwnDatabase Sqlite() => new SqliteFile();

    public static OwnDatabase PostgreSql() => new ServerDatabase();

    public abstract Task<SchedulerDatabase> Create();

    public abstract Task Delete();

    private sealed class SqliteFile : OwnDatabase
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-test-db-" + Guid.NewGuid().ToString("N"));

        public override Task<SchedulerDatabase> Create() =>
            Task.FromResult<SchedulerDatabase>(new SqliteDatabase($"Data Source={Path.Combine(_directory, "scheduler.db")}"));

        public override Task Delete()
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class ServerDatabase : OwnDatabase
    {
        private PostgreSqlTestDatabase? _server;
        private SchedulerDatabase? _database;

        public override async Task<SchedulerDatabase> Create()
        {
            _server = await PostgreSqlTestDatabase.CreateAsync();
            return _database = SchedulerDatabase.Create(StorageProvider.PostgreSql, _server.ConnectionString);
        }

        public override async Task Delete()
        {
            (_database as IDisposable)?.Dispose();
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
