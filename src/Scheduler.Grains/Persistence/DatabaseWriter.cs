using System.Diagnostics;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Persistence;

/// <summary>A change to the read model; applied inside the writer's transaction, so it must be idempotent.</summary>
public interface IReadModelChange
{
    void Apply(ReadModelSession session);
}

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

    /// <summary>The grain-state upsert, read from the database once per connection (SQLite).</summary>
    internal string? StateUpsertSql { get; set; }

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

/// <summary>One unit of work for the <see cref="DatabaseWriter"/>: applied inside its transaction, completed after the commit.</summary>
public abstract class WriteItem
{
    private protected WriteItem(ActivityContext parent) => Parent = parent;

    internal ActivityContext Parent { get; }

    /// <summary>The table the span names.</summary>
    internal abstract string Table { get; }

    internal abstract void Apply(ReadModelSession session);

    internal abstract void Complete();

    internal abstract void Fail(Exception error);
}

/// <summary>
/// The single writer of this process's database. Grains hand it read-model changes after their state is durable
/// (and, on SQLite, their grain state itself) and await the returned task; one dedicated thread commits everything
/// queued at that moment in one transaction on one connection, and completes the callers after the commit.
/// </summary>
public sealed partial class DatabaseWriter(SchedulerDatabase database, ILogger<DatabaseWriter> logger)
    : BatchWriter<WriteItem>("database-writer", MaxBatch)
{
    private const int MaxBatch = 512;

    private ReadModelSession? _session;

    /// <summary>Read-model changes of a durable grain state; idempotent, so a retry after a crash is harmless.</summary>
    public Task Write(params IReadOnlyList<IReadModelChange> changes)
    {
        var item = new ReadModelItem(changes, Activity.Current?.Context ?? default);
        return Enqueue(item) ? item.Done.Task : Task.FromException(new ObjectDisposedException(nameof(DatabaseWriter)));
    }

    /// <summary>A grain-state row (SQLite): its new version once durable, null when its version check failed.</summary>
    internal Task<int?> Write(GrainStateRow row)
    {
        var item = new GrainStateItem(row, Activity.Current?.Context ?? default);
        return Enqueue(item) ? item.Done.Task : Task.FromException<int?>(new ObjectDisposedException(nameof(DatabaseWriter)));
    }

    protected override void Close() => ResetSession();

    protected override void Commit(List<WriteItem> batch)
    {
        // One span per caller (a child of its grain call), all covering the shared transaction.
        var spans = batch.Select(item => SchedulerTelemetry.StartSql(database, "upsert", item.Table, item.Parent)).ToArray();
        try
        {
            try
            {
                Apply(batch);
                batch.ForEach(item => item.Complete());
            }
            catch (Exception batchError) when (batch.Count > 1)
            {
                // Nothing of the batch is committed. Isolate the culprit: one bad item must not fail its neighbours.
                ResetSession();
                LogBatchFailed(batchError, batch.Count);
                for (var n = 0; n < batch.Count; n++)
                {
                    try
                    {
                        Apply([batch[n]]);
                        batch[n].Complete();
                    }
                    catch (Exception error)
                    {
                        ResetSession();
                        Fail(batch[n], spans[n], error);
                    }
                }
            }
            catch (Exception error)
            {
                ResetSession();
                Fail(batch[0], spans[0], error);
            }
        }
        finally
        {
            foreach (var span in spans)
            {
                span?.SetTag("scheduler.batch.size", batch.Count);
                span?.Dispose();
            }
        }
    }

    private void Fail(WriteItem item, Activity? span, Exception error)
    {
        LogWriteFailed(error, item.Table);
        span?.SetStatus(ActivityStatusCode.Error, error.Message);
        item.Fail(error);
    }

    private void Apply(List<WriteItem> batch)
    {
        var session = _session ??= OpenSession();
        var gate = database.WriteGate;
        gate?.Wait();
        try
        {
            using var transaction = session.Connection.BeginTransaction();
            session.Transaction = transaction;
            foreach (var item in batch)
            {
                item.Apply(session);
            }
            transaction.Commit();
        }
        finally
        {
            session.Transaction = null;
            gate?.Release();
        }
    }

    private ReadModelSession OpenSession()
    {
        var connection = database.Open();
        database.PrepareWriterConnection(connection);
        return new ReadModelSession(connection, database);
    }

    private void ResetSession()
    {
        _session?.DisposeCommands();
        _session?.Connection.Dispose();
        _session = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} writes failed; retrying them one by one")]
    private partial void LogBatchFailed(Exception error, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Write to {Table} failed")]
    private partial void LogWriteFailed(Exception error, string table);

    private sealed class ReadModelItem(IReadOnlyList<IReadModelChange> changes, ActivityContext parent) : WriteItem(parent)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal override string Table => "read_model";

        internal override void Apply(ReadModelSession session)
        {
            foreach (var change in changes)
            {
                change.Apply(session);
            }
        }

        internal override void Complete() => Done.TrySetResult();

        internal override void Fail(Exception error) => Done.TrySetException(error);
    }
}
