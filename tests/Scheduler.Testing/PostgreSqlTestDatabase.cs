using Npgsql;

namespace Scheduler.Testing;

/// <summary>
/// A database of its own on the test PostgreSQL server, dropped on dispose. The server is named by the
/// <c>SCHEDULER_TEST_POSTGRES</c> environment variable (a connection string to its <c>postgres</c> database;
/// <c>tests/run.sh</c> starts a private server and sets it); without it, the local default below.
/// </summary>
public sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres";

    private readonly string _server;

    private PostgreSqlTestDatabase(string server, string name, string connectionString)
    {
        _server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The connection string of this test's database.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgreSqlTestDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("SCHEDULER_TEST_POSTGRES") is { Length: > 0 } configured ? configured : DefaultServer;
        var name = "scheduler_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new PostgreSqlTestDatabase(server, name, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
