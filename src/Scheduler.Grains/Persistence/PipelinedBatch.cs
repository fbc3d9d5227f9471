using System.Data.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// On a server, a whole batch in one round trip, its commit included: every item's statements, without savepoints, and
/// <c>COMMIT</c> after them. A change's item otherwise waits for its own round trip, and the commit for one more; under
/// load each wait is a turn on the CPU for the writer lane's thread. So every check must fail on the server (a state
/// write's version: <see cref="SchedulerDatabase.CheckedStateWrite"/>; an email claim: the unique index): a statement
/// that fails there leaves the transaction failed, and the server skips the rest of the round trip, its commit with it.
/// The transaction is then rolled back whole, and the batch goes the careful way, item by item in savepoints
/// (<see cref="ItemSavepoints"/>), which tells each item its own outcome.
/// </summary>
internal static class PipelinedBatch
{
    /// <summary>
    /// Whether every item of <paramref name="batch"/> was applied and committed in one round trip. False: the batch cannot
    /// go this way, or something of it was refused and nothing of it is stored. Thrown: the storage failed (nothing
    /// stored), or <see cref="SentException"/> when the commit may have happened (the connection failed with it sent).
    /// </summary>
    public static bool TryCommit(ReadModelSession session, List<WriteItem> batch)
    {
        if (!session.Defers || !batch.TrueForAll(item => item.StatementsThroughSession))
        {
            return false;
        }
        var transaction = session.Connection.BeginTransaction();
        session.Transaction = transaction;
        session.CommitsWithFlush = true;
        try
        {
            try
            {
                foreach (var item in batch)
                {
                    item.Apply(session);
                }
                session.Execute(session.Command("COMMIT"));
            }
            catch (Exception)
            {
                // The commit was not sent: the careful way tells which item failed, and why.
                session.DiscardDeferred();
                Abandon(transaction);
                return false;
            }
            try
            {
                session.Flush();
            }
            catch (Exception error) when (Answered(session.Database, error) is { } answer)
            {
                // The server refused a statement, so it skipped the commit. If the storage itself failed (the
                // connection closed by the server, a disk full), the items would fail the same way one by one.
                Abandon(transaction);
                if (session.Database.IsStorageFailure(answer))
                {
                    throw;
                }
                return false;
            }
            catch (Exception error)
            {
                throw new SentException(error);
            }
        }
        finally
        {
            session.CommitsWithFlush = false;
            session.Transaction = null;
            transaction.Dispose();
        }
        // Committed: every check was the server's, so each item stands as sent.
        return batch.TrueForAll(item => item.Settled())
            ? true
            : throw new SentException(new InvalidOperationException("A batch committed with an item whose statements did not stand."));
    }

    private static void Abandon(DbTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (Exception error) when (error is DbException or InvalidOperationException)
        {
            // A broken connection, or a transaction the server already ended: nothing of it stands either way.
        }
    }

    // The server's answer, when it gave one: an error it answered left nothing of the transaction.
    private static DbException? Answered(SchedulerDatabase database, Exception error)
    {
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is DbException answered)
            {
                return database.CommitMayHaveHappened(answered) ? null : answered;
            }
        }
        return null;
    }

    /// <summary>The batch was sent with its commit, and what came back does not say whether it was made.</summary>
    internal sealed class SentException(Exception error) : Exception(error.Message, error);
}
