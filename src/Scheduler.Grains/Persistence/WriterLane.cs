using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// One lane of the <see cref="DatabaseWriter"/>: one dedicated thread and one connection that commit everything
/// queued at that moment in one transaction (a savepoint per item), and complete the callers after the commit.
/// </summary>
internal sealed partial class WriterLane(SchedulerDatabase database, string name, ILogger logger)
    : BatchWriter<WriteItem>(name, MaxBatch)
{
    private const int MaxBatch = 512;

    private const int MaxAttempts = 3;

    private ReadModelSession? _session;

    /// <summary>Queues <paramref name="item"/>; false once the lane is disposed.</summary>
    public bool Add(WriteItem item) => Enqueue(item);

    protected override void Close() => ResetSession();

    protected override void Commit(List<WriteItem> batch)
    {
        // One span per caller (a child of its grain call), all covering the shared transaction.
        var spans = batch.Select(item => SchedulerTelemetry.StartSql(database, "upsert", item.Table, item.Parent)).ToArray();
        try
        {
            try
            {
                var failures = Apply(batch);
                for (var n = 0; n < batch.Count; n++)
                {
                    if (failures[n] is { } failure)
                    {
                        Fail(batch[n], spans[n], failure);
                    }
                    else
                    {
                        batch[n].Complete();
                    }
                }
            }
            catch (Exception batchError) when (batch.Count > 1)
            {
                // Nothing of the batch is committed (the commit itself failed, or the transaction broke). Isolate the
                // culprit: one bad item must not fail its neighbours.
                ResetSession();
                LogBatchFailed(batchError, batch.Count);
                for (var n = 0; n < batch.Count; n++)
                {
                    try
                    {
                        if (Apply([batch[n]])[0] is { } failure)
                        {
                            Fail(batch[n], spans[n], failure);
                        }
                        else
                        {
                            batch[n].Complete();
                        }
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
        if (error is not UniqueClaimException)
        {
            LogWriteFailed(error, item.Table);
        }
        span?.SetStatus(ActivityStatusCode.Error, error.Message);
        item.Fail(error);
    }

    /// <summary>Applies and commits <paramref name="batch"/>; each item's own failure (nothing of it committed), or null.</summary>
    private Exception?[] Apply(List<WriteItem> batch)
    {
        var session = _session ??= OpenSession();
        var failures = new Exception?[batch.Count];
        var gate = database.WriteGate;
        gate?.Wait();
        try
        {
            using var transaction = session.Connection.BeginTransaction();
            session.Transaction = transaction;
            for (var n = 0; n < batch.Count; n++)
            {
                failures[n] = ApplyIsolated(session, batch[n]);
            }
            transaction.Commit();
        }
        finally
        {
            session.Transaction = null;
            gate?.Release();
        }
        return failures;
    }

    /// <summary>
    /// Applies one item inside a savepoint: if it fails (a unique claim taken, a constraint), only its own statements
    /// are rolled back and the batch goes on. A deadlock or serialization failure (PostgreSQL, several silos) is
    /// retried in place: the transaction that won has moved on by then.
    /// </summary>
    private Exception? ApplyIsolated(ReadModelSession session, WriteItem item)
    {
        for (var attempt = 1; ; attempt++)
        {
            session.Command("SAVEPOINT item").ExecuteNonQuery();
            try
            {
                item.Apply(session);
                session.Execute(session.Command("RELEASE SAVEPOINT item"));
                session.Flush();
                return null;
            }
            catch (Exception error)
            {
                session.DiscardDeferred();
                // If the transaction itself is gone (a full disk, an I/O error), this throws: the whole batch fails.
                session.Command("ROLLBACK TO SAVEPOINT item").ExecuteNonQuery();
                session.Command("RELEASE SAVEPOINT item").ExecuteNonQuery();
                if (attempt < MaxAttempts && database.IsTransient(error))
                {
                    continue;
                }
                return error;
            }
        }
    }

    private ReadModelSession OpenSession()
    {
        var connection = database.Open();
        database.PrepareWriterConnection(connection);
        var session = new ReadModelSession(connection, database);
        if (database.BatchesStatements)
        {
            session.DeferStatements();
        }
        return session;
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
}
