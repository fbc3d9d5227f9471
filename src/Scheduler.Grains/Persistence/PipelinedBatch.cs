using System.Data.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// On a server, a whole batch in one round trip: every item's statements, without savepoints, sent together. A
/// change's item otherwise waits for its own round trip, and under load each wait is a turn on the CPU for the writer
/// lane's thread; a batch of twenty changes waited twenty times before its commit. When anything of it fails (an email
/// claim refused, a state write that lost a race, any error), the transaction is rolled back whole and the batch goes
/// the careful way, item by item in savepoints (<see cref="ItemSavepoints"/>), which tells each item its own outcome.
/// </summary>
internal static class PipelinedBatch
{
    /// <summary>
    /// The open transaction in which every item of <paramref name="batch"/> was applied and stands, ready to commit; or
    /// null, when the batch cannot go this way or something of it failed: then nothing of it is stored.
    /// </summary>
    public static DbTransaction? TryApply(ReadModelSession session, List<WriteItem> batch)
    {
        if (!session.Defers || batch.Count < 2 || !batch.TrueForAll(item => item.StatementsThroughSession))
        {
            return null;
        }
        var transaction = session.Connection.BeginTransaction();
        session.Transaction = transaction;
        try
        {
            foreach (var item in batch)
            {
                item.Apply(session);
            }
            session.Flush();
            // Each item is asked, so that every one whose guess proved wrong goes the careful way next.
            if (batch.Count(item => !item.Settled()) == 0)
            {
                return transaction;
            }
        }
        catch (Exception)
        {
            // What failed, and why, the careful way tells item by item; if the connection itself is gone, it fails there.
            session.DiscardDeferred();
        }
        try
        {
            transaction.Rollback();
        }
        catch (DbException)
        {
            // A broken connection: the careful way finds it so.
        }
        transaction.Dispose();
        session.Transaction = null;
        return null;
    }
}
