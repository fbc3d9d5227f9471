using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Scheduler.Common;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// One lane of the <see cref="DatabaseWriter"/>: one dedicated thread and one connection that commit everything
/// queued at that moment in one transaction (applied whole; item by item in savepoints when one of them fails), and
/// complete the callers after the commit.
/// </summary>
internal sealed partial class WriterLane(SchedulerDatabase database, string name, ILogger logger)
    : BatchWriter<WriteItem>(name, MaxBatch)
{
    private const int MaxBatch = 512;

    private ReadModelSession? _session;

    private readonly ItemSavepoints _savepoints = new(database);

    // When the batch on the lane's thread began (Environment.TickCount64), 0 while the lane waits for work.
    private long _batchStartedAt;

    // Whether the last batch was applied whole, without savepoints (WholeBatch; on a server in one round trip with its
    // commit: PipelinedBatch), for its spans.
    private bool _whole;

    // Why the last batch could not be stored, until a batch is stored again; null while writes succeed.
    private volatile string? _problem;

    /// <summary>Queues <paramref name="item"/>; false once the lane is disposed.</summary>
    public bool Add(WriteItem item) => Enqueue(item);

    protected override void Close() => ResetSession();

    /// <summary>Why writes on this lane fail, until one succeeds again; null while they succeed.</summary>
    public string? Problem => _problem;

    /// <summary>How long the batch in progress has been running; zero when none is.</summary>
    public TimeSpan Busy => Volatile.Read(ref _batchStartedAt) is var started and not 0
        ? TimeSpan.FromMilliseconds(Environment.TickCount64 - started)
        : TimeSpan.Zero;

    protected override void Commit(List<WriteItem> batch)
    {
        Volatile.Write(ref _batchStartedAt, Environment.TickCount64);
        // One span per caller (a child of its grain call), all covering the shared transaction.
        var spans = batch.Select(item => SchedulerTelemetry.StartSql(database, "upsert", item.Table, item.Parent)).ToArray();
        try
        {
            // Before SQLite touches the files: a deleted or replaced file, or one that cannot be written.
            if (database.WriteTargetProblem() is { } refused)
            {
                ResetSession();
                NoteProblem(refused, null);
                var error = new StorageUnavailableException($"The database refused the write: {refused}");
                for (var n = 0; n < batch.Count; n++)
                {
                    Fail(batch[n], spans[n], error);
                }
                return;
            }
            try
            {
                var failures = Apply(batch);
                NoteStored();
                for (var n = 0; n < batch.Count; n++)
                {
                    if (failures[n] is { } failure)
                    {
                        Fail(batch[n], spans[n], Outcome(failure));
                    }
                    else
                    {
                        batch[n].Complete();
                    }
                }
            }
            catch (Exception batchError) when (batch.Count > 1 && !IsStorageFailure(batchError))
            {
                // Nothing of the batch is committed (the commit itself failed, or the transaction broke). Isolate the
                // culprit: one bad item must not fail its neighbours.
                ResetSession();
                LogBatchFailed(batchError, batch.Count);
                for (var n = 0; n < batch.Count; n++)
                {
                    try
                    {
                        var failure = Apply([batch[n]])[0];
                        NoteStored();
                        if (failure is not null)
                        {
                            Fail(batch[n], spans[n], Outcome(failure));
                        }
                        else
                        {
                            batch[n].Complete();
                        }
                    }
                    catch (Exception error)
                    {
                        ResetSession();
                        Fail(batch[n], spans[n], Outcome(error));
                    }
                }
            }
            catch (Exception error)
            {
                // The storage failed (nothing retried item by item: it would fail the same way, and a commit that may
                // have happened must not be made again), or a batch of one failed.
                ResetSession();
                var outcome = Outcome(error);
                for (var n = 0; n < batch.Count; n++)
                {
                    Fail(batch[n], spans[n], outcome);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _batchStartedAt, 0);
            foreach (var span in spans)
            {
                span?.SetTag("scheduler.batch.size", batch.Count);
                span?.SetTag("scheduler.batch.whole", _whole);
                span?.Dispose();
            }
        }
    }

    /// <summary>Whether <paramref name="error"/> is the storage's, not an item's: retrying the items one by one would not help, or be wrong.</summary>
    private bool IsStorageFailure(Exception error) => error is CommitFailedException { InnerException: { } cause } failed
        ? database.IsStorageFailure(cause) || failed.MayHaveCommitted
        : database.IsStorageFailure(error);

    /// <summary>
    /// What a caller learns of <paramref name="error"/>: a commit that may have been made durable is in doubt; a
    /// storage that refused is unavailable (nothing of the change stored); anything else as it is.
    /// </summary>
    private Exception Outcome(Exception error)
    {
        var cause = error is CommitFailedException ? error.InnerException! : error;
        if (error is CommitFailedException { MayHaveCommitted: true })
        {
            NoteProblem($"a commit could not be confirmed: {cause.Message}", cause);
            return new ChangeInDoubtException("The database could not confirm the commit of this change; it may or may not be stored. Read the resource before retrying.", cause);
        }
        if (database.IsStorageFailure(cause))
        {
            NoteProblem(cause.Message, cause);
            return new StorageUnavailableException($"The database refused the write: {cause.Message}");
        }
        return cause;
    }

    private void NoteProblem(string problem, Exception? cause)
    {
        if (_problem != problem)
        {
            LogWritesRefused(cause, database.Location, problem);
        }
        _problem = problem;
    }

    private void NoteStored()
    {
        if (_problem is not null)
        {
            _problem = null;
            LogWritesStoredAgain(database.Location);
        }
    }

    private void Fail(WriteItem item, Activity? span, Exception error)
    {
        // A storage failure is logged once per change of cause (NoteProblem), not once per caller.
        if (error is not (UniqueClaimException or StorageUnavailableException or ChangeInDoubtException))
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
            try
            {
                _whole = PipelinedBatch.TryCommit(session, batch);
            }
            catch (PipelinedBatch.SentException error)
            {
                throw new CommitFailedException(error.InnerException!, mayHaveCommitted: true);
            }
            if (_whole)
            {
                return failures;
            }
            var whole = WholeBatch.TryApply(session, batch);
            _whole = whole is not null;
            using var transaction = whole ?? ApplyItemByItem(session, batch, failures);
            try
            {
                transaction.Commit();
            }
            catch (Exception error)
            {
                throw new CommitFailedException(error, database.CommitMayHaveHappened(error));
            }
        }
        finally
        {
            session.Transaction = null;
            gate?.Release();
        }
        return failures;
    }

    private DbTransaction ApplyItemByItem(ReadModelSession session, List<WriteItem> batch, Exception?[] failures)
    {
        var transaction = session.Connection.BeginTransaction();
        session.Transaction = transaction;
        _savepoints.Begin();
        for (var n = 0; n < batch.Count; n++)
        {
            failures[n] = _savepoints.Apply(session, batch[n]);
        }
        return transaction;
    }

    private ReadModelSession OpenSession()
    {
        var connection = database.Open();
        database.PrepareWriterConnection(connection);
        database.RememberWriteTarget();
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

    /// <summary>The commit itself failed (every statement had run), and may or may not have happened.</summary>
    private sealed class CommitFailedException(Exception error, bool mayHaveCommitted) : Exception(error.Message, error)
    {
        public bool MayHaveCommitted { get; } = mayHaveCommitted;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writes to {Location} fail: {Problem}")]
    private partial void LogWritesRefused(Exception? error, string location, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writes to {Location} are stored again")]
    private partial void LogWritesStoredAgain(string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} writes failed; retrying them one by one")]
    private partial void LogBatchFailed(Exception error, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Write to {Table} failed")]
    private partial void LogWriteFailed(Exception error, string table);
}
