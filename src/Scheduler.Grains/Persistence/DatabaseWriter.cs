using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Scheduler.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// The writer of this process's database. Grains hand it their state rows, each with the rows its change commits
/// with it, and await the returned task; a lane (one dedicated thread, one connection) commits everything queued on
/// it at that moment in one transaction, a savepoint per item, and completes the callers after the commit. SQLite
/// admits one writer, so it has one lane; PostgreSQL runs <see cref="SchedulerDatabase.WriterLanes"/> side by side, so
/// that the server's cores share the work. A grain waits for each write before the next, so its writes never pass
/// each other on different lanes; between grains, the database's own locks and unique indexes decide.
/// </summary>
public sealed class DatabaseWriter(SchedulerDatabase database, ILogger<DatabaseWriter> logger, int lanes) : IDisposable
{
    private readonly WriterLane[] _lanes =
        [.. Enumerable.Range(0, lanes).Select(n => new WriterLane(database, $"database-writer-{n}", logger))];

    public DatabaseWriter(SchedulerDatabase database, ILogger<DatabaseWriter> logger)
        : this(database, logger, database.WriterLanes)
    {
    }

    private int _next;

    /// <summary>
    /// How long a batch may run before the writer takes the storage for stalled (a frozen or hung file system, a lock
    /// held elsewhere): from then on it refuses new writes at once, readiness fails, and only the writes already
    /// taken wait for the storage (their callers time out in doubt: they may still be committed).
    /// </summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(5);

    /// <summary>Null while writes are stored; otherwise why not (for the log and readiness).</summary>
    public string? Problem
    {
        get
        {
            foreach (var lane in _lanes)
            {
                if (lane.Busy > StallLimit)
                {
                    return $"A write has waited {lane.Busy.TotalSeconds:0} s for the database to complete it.";
                }
            }
            return _lanes.Select(lane => lane.Problem).FirstOrDefault(problem => problem is not null);
        }
    }

    /// <summary>
    /// Commits a probe on every lane whose writes failed (and is not stalled): once one succeeds, <see cref="Problem"/>
    /// clears without waiting for a client's write.
    /// </summary>
    public async Task Probe()
    {
        var probes = new List<Task>();
        foreach (var lane in _lanes.Where(lane => lane.Problem is not null && lane.Busy == TimeSpan.Zero))
        {
            var probe = new ProbeItem();
            if (lane.Add(probe))
            {
                probes.Add(probe.Done.Task);
            }
        }
        try
        {
            await Task.WhenAll(probes);
        }
        catch (Exception)
        {
            // The lane keeps the reason.
        }
    }

    /// <summary>
    /// A grain-state row and the rows its change commits with it: the row's new version once durable, null when its
    /// version check failed (and nothing was written).
    /// </summary>
    internal Task<int?> Write(GrainStateRow row, bool clear, Func<long, IReadOnlyList<IReadModelChange>>? rows)
    {
        var item = new GrainStateItem(row, clear, rows, Activity.Current?.Context ?? default);
        return Enqueue(item, item.Done.Task);
    }

    /// <summary>Runs <paramref name="work"/> in a transaction of the writer, under its own savepoint; its result once committed.</summary>
    public Task<T> Run<T>(Func<ReadModelSession, T> work)
    {
        var item = new RowsItem<T>(work, Activity.Current?.Context ?? default);
        return Enqueue(item, item.Done.Task);
    }

    /// <summary>
    /// Applies <paramref name="rows"/> in one transaction (under a savepoint of their own, like <see cref="Run{T}"/>).
    /// Their statements all go through the session, so on a server they travel with the rest of their batch.
    /// </summary>
    public Task Apply(IReadOnlyList<IReadModelChange> rows)
    {
        var item = new RowsItem<int>(rows.ApplyAll, Activity.Current?.Context ?? default, throughSession: true);
        return Enqueue(item, item.Done.Task);
    }

    // The next lane in turn takes the item, unless its storage has stalled.
    private Task<T> Enqueue<T>(WriteItem item, Task<T> done)
    {
        var lane = _lanes.Length == 1 ? _lanes[0] : _lanes[(int)((uint)Interlocked.Increment(ref _next) % _lanes.Length)];
        if (lane.Busy > StallLimit)
        {
            // Refused before it is queued: certainly not stored, so the caller may send it again.
            return Task.FromException<T>(new StorageUnavailableException(
                $"The database has not completed a write for {lane.Busy.TotalSeconds:0} s; this one was not queued."));
        }
        return lane.Add(item) ? done : Task.FromException<T>(new ObjectDisposedException(nameof(DatabaseWriter)));
    }

    public void Dispose()
    {
        foreach (var lane in _lanes)
        {
            lane.Dispose();
        }
    }
}
