using System.Data.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// On SQLite, a whole batch in its transaction without savepoints: the counterpart of <see cref="PipelinedBatch"/>,
/// which does the same on a server in one round trip. A savepoint costs each item a copy of every page it is the first
/// to change since the savepoint began (SQLite's sub-journal), and it is needed only to tell the items apart when one
/// of them fails: the batch then goes again, item by item in savepoints (<see cref="ItemSavepoints"/>).
/// </summary>
internal static class WholeBatch
{
    /// <summary>
    /// The transaction with every item of <paramref name="batch"/> applied, for the caller to commit; null (nothing of it
    /// applied) when an item failed or did not stand, or when the session defers its statements (a server's, which
    /// <see cref="PipelinedBatch"/> serves).
    /// </summary>
    public static DbTransaction? TryApply(ReadModelSession session, List<WriteItem> batch)
    {
        if (session.Defers)
        {
            return null;
        }
        var transaction = session.Connection.BeginTransaction();
        session.Transaction = transaction;
        var applied = false;
        try
        {
            foreach (var item in batch)
            {
                item.Apply(session);
                if (!item.Settled())
                {
                    return null;
                }
            }
            applied = true;
            return transaction;
        }
        catch (Exception)
        {
            // The careful way tells which item failed, and why.
            return null;
        }
        finally
        {
            if (!applied)
            {
                // If the storage itself failed, the rollback may throw too: the whole batch then fails as a storage failure.
                session.Transaction = null;
                transaction.Rollback();
                transaction.Dispose();
            }
        }
    }
}
