using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Persistence;

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
