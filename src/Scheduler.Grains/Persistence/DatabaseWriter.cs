using System.Diagnostics;
using Microsoft.Extensions.Logging;

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
    /// A grain-state row and the rows its change commits with it: the row's new version once durable, null when its
    /// version check failed (and nothing was written).
    /// </summary>
    internal Task<int?> Write(GrainStateRow row, bool clear, Func<long, IReadOnlyList<IReadModelChange>>? rows)
    {
        var item = new GrainStateItem(row, clear, rows, Activity.Current?.Context ?? default);
        var lane = _lanes.Length == 1 ? _lanes[0] : _lanes[(int)((uint)Interlocked.Increment(ref _next) % _lanes.Length)];
        return lane.Add(item) ? item.Done.Task : Task.FromException<int?>(new ObjectDisposedException(nameof(DatabaseWriter)));
    }

    /// <summary>Runs <paramref name="work"/> in a transaction of the writer, under its own savepoint; its result once committed.</summary>
    public Task<T> Run<T>(Func<ReadModelSession, T> work)
    {
        var item = new RowsItem<T>(work, Activity.Current?.Context ?? default);
        var lane = _lanes.Length == 1 ? _lanes[0] : _lanes[(int)((uint)Interlocked.Increment(ref _next) % _lanes.Length)];
        return lane.Add(item) ? item.Done.Task : Task.FromException<T>(new ObjectDisposedException(nameof(DatabaseWriter)));
    }

    public void Dispose()
    {
        foreach (var lane in _lanes)
        {
            lane.Dispose();
        }
    }
}
