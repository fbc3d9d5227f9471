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

/// <summary>What a change sees while it is applied: the writer's connection, transaction and cached statements.</summary>
public sealed class ReadModelSession
{
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

    /// <summary>A prepared statement for <paramref name="sql"/>, reused across batches, parameters cleared.</summary>
    public DbCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    internal void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}

/// <summary>
/// The single writer of the read model in this process. Grains hand it their changes after their state is durable
/// and await the returned task; one dedicated thread commits everything queued at that moment in one transaction
/// (group commit), so the write lock and the sync are paid once per batch and never on an Orleans scheduler thread.
/// </summary>
public sealed class ReadModelWriter(SchedulerDatabase database, ILogger<ReadModelWriter> logger)
    : BatchWriter<ReadModelWriter.Pending>("read-model-writer", MaxBatch)
{
    private const int MaxBatch = 512;

    private ReadModelSession? _session;

    public Task Write(params IReadOnlyList<IReadModelChange> changes)
    {
        var pending = new Pending(changes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            Activity.Current?.Context ?? default);
        return Enqueue(pending)
            ? pending.Done.Task
            : Task.FromException(new ObjectDisposedException(nameof(ReadModelWriter)));
    }

    protected override void Close() => ResetSession();

    protected override void Commit(List<Pending> batch)
    {
        // One span per caller (a child of its grain call), all covering the shared transaction.
        var spans = batch.Select(p => SchedulerTelemetry.StartSql("upsert", "read_model", p.Parent)).ToArray();
        foreach (var span in spans)
        {
            span?.SetTag("scheduler.batch.size", batch.Count);
        }
        try
        {
            Commit(batch, spans);
        }
        finally
        {
            foreach (var span in spans)
            {
                span?.Dispose();
            }
        }
    }

    private void Commit(List<Pending> batch, Activity?[] spans)
    {
        try
        {
            Apply(batch);
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult();
            }
        }
        catch (Exception batchError)
        {
            ResetSession();
            if (batch.Count == 1)
            {
                logger.LogError(batchError, "Read-model write failed");
                spans[0]?.SetStatus(ActivityStatusCode.Error, batchError.Message);
                batch[0].Done.TrySetException(batchError);
                return;
            }
            // Isolate the culprit: one bad change must not fail its neighbours.
            for (var n = 0; n < batch.Count; n++)
            {
                var pending = batch[n];
                try
                {
                    Apply([pending]);
                    pending.Done.TrySetResult();
                }
                catch (Exception error)
                {
                    ResetSession();
                    spans[n]?.SetStatus(ActivityStatusCode.Error, error.Message);
                    logger.LogError(error, "Read-model write failed");
                    pending.Done.TrySetException(error);
                }
            }
        }
    }

    private void Apply(List<Pending> batch)
    {
        var session = _session ??= OpenSession();
        var gate = database.WriteGate;
        gate?.Wait();
        try
        {
            using var transaction = session.Connection.BeginTransaction();
            session.Transaction = transaction;
            foreach (var pending in batch)
            {
                foreach (var change in pending.Changes)
                {
                    change.Apply(session);
                }
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

    public sealed record Pending(IReadOnlyList<IReadModelChange> Changes, TaskCompletionSource Done, ActivityContext Parent);
}
