namespace Scheduler.Grains.Persistence;

/// <summary>
/// The savepoints of a <see cref="WriterLane"/>'s transaction: each item of a batch is applied inside its own, so that
/// an item that fails leaves the others to commit.
/// </summary>
internal sealed class ItemSavepoints(SchedulerDatabase database)
{
    private const int MaxAttempts = 3;

    // The savepoint name of the item applied last, and the savepoint the transaction still holds open (sent with the
    // next item's round trip), if any.
    private string _savepoint = "item_b";
    private string? _unreleased;

    /// <summary>A new transaction: it holds no savepoint yet.</summary>
    public void Begin() => _unreleased = null;

    /// <summary>
    /// Applies one item inside a savepoint: if it fails (a unique claim taken, a constraint), only its own statements
    /// are rolled back and the batch goes on. A deadlock or serialization failure (PostgreSQL, several silos) is
    /// retried in place: the transaction that won has moved on by then.
    /// </summary>
    /// <remarks>
    /// On a server, an item whose statements all go through the session travels in one round trip: the previous
    /// item's release, its own savepoint, its statements. Savepoints alternate between two names, so that a round trip
    /// that failed before its savepoint was taken can never roll back to the previous item's.
    /// </remarks>
    public Exception? Apply(ReadModelSession session, WriteItem item)
    {
        for (var attempt = 1; ; attempt++)
        {
            var deferred = session.Defers && item.StatementsThroughSession;
            var previous = _unreleased;
            _unreleased = null;
            var savepoint = _savepoint = _savepoint == "item_a" ? "item_b" : "item_a";
            if (previous is not null)
            {
                Run(session, $"RELEASE SAVEPOINT {previous}", deferred);
            }
            Run(session, $"SAVEPOINT {savepoint}", deferred);
            var sent = session.RoundTrips;
            try
            {
                item.Apply(session);
                if (!deferred)
                {
                    session.Execute(session.Command($"RELEASE SAVEPOINT {savepoint}"));
                }
                session.Flush();
                if (!item.Settled())
                {
                    Undo(session, savepoint);
                    continue;
                }
                if (deferred)
                {
                    // Released with the next item's round trip; a commit takes an unreleased savepoint with it.
                    _unreleased = savepoint;
                }
                return null;
            }
            catch (Exception error)
            {
                session.DiscardDeferred();
                if (deferred && session.RoundTrips == sent)
                {
                    // Nothing of this round trip reached the server: no savepoint to roll back to.
                    _unreleased = previous;
                }
                else
                {
                    // If the transaction itself is gone (a full disk, an I/O error), this throws: the whole batch fails.
                    Undo(session, savepoint);
                }
                if (attempt < MaxAttempts && database.IsTransient(error))
                {
                    continue;
                }
                return error;
            }
        }
    }

    private static void Run(ReadModelSession session, string sql, bool deferred)
    {
        if (deferred)
        {
            session.Execute(session.Command(sql));
        }
        else
        {
            session.Command(sql).ExecuteNonQuery();
        }
    }

    private static void Undo(ReadModelSession session, string savepoint)
    {
        session.Command($"ROLLBACK TO SAVEPOINT {savepoint}").ExecuteNonQuery();
        session.Command($"RELEASE SAVEPOINT {savepoint}").ExecuteNonQuery();
    }
}
