using System.Data.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// A connection with its statements cached: what a change sees while the writer applies it (with the writer's
/// transaction), and what a query runs on (<see cref="ReadModelQueries"/>).
/// </summary>
public sealed class ReadModelSession
{
    internal const int MaxStatements = 64;

    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    internal ReadModelSession(DbConnection connection, SchedulerDatabase database)
    {
        Connection = connection;
        Database = database;
    }

    public DbConnection Connection { get; }

    /// <summary>The database, for the SQL that differs between providers.</summary>
    public SchedulerDatabase Database { get; }

    internal DbTransaction? Transaction { get; set; }

    /// <summary>The grain-state upsert, read from the database once per connection.</summary>
    internal string? StateUpsertSql { get; set; }

    /// <summary>The grain-state clear, read from the database once per connection.</summary>
    internal string? StateClearSql { get; set; }

    /// <summary>
    /// A prepared statement for <paramref name="sql"/>, reused across batches, parameters cleared. Queries built
    /// from filters come in many shapes: past <see cref="MaxStatements"/> the cache starts over rather than grow.
    /// </summary>
    public DbCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            if (_commands.Count >= MaxStatements)
            {
                DisposeCommands();
            }
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>The prepared statement for <paramref name="sql"/> with <paramref name="parameters"/> bound.</summary>
    public DbCommand Command(string sql, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }
        return command;
    }

    /// <summary>
    /// The text of one of the Orleans storage's queries (<c>OrleansQuery</c>), so that our statements and the ADO.NET
    /// provider's share one definition. Read once by its callers, so not kept among the cached statements.
    /// </summary>
    internal string StoredQuery(string key)
    {
        using var read = Connection.CreateCommand();
        read.Transaction = Transaction;
        read.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key";
        read.Add("@key", key);
        return read.ExecuteScalar() as string ?? throw new InvalidOperationException($"OrleansQuery has no {key}.");
    }

    /// <inheritdoc cref="StoredQuery"/>
    internal async Task<string> StoredQueryAsync(string key)
    {
        await using var read = Connection.CreateCommand();
        read.Transaction = Transaction;
        read.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key";
        read.Add("@key", key);
        return await read.ExecuteScalarAsync() as string ?? throw new InvalidOperationException($"OrleansQuery has no {key}.");
    }

    /// <summary>How many statements this connection keeps compiled.</summary>
    internal int CachedStatements => _commands.Count;

    internal void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
