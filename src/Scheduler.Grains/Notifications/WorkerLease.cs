using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// A cluster-wide lease in <c>worker_leases</c>: one silo at a time holds a name until its lease runs out, renewing it
/// while it works, so that a worker runs once per cluster and moves to another silo when its holder dies (once its
/// lease has run out). A SQLite file belongs to one process, which always holds every lease: a restart after a crash
/// does not wait for the dead process's lease to end.
/// </summary>
public sealed class WorkerLease(SchedulerDatabase database, DatabaseWriter writer, TimeProvider time, string name, string owner, TimeSpan duration)
{
    /// <summary>How long a hold lasts unless renewed.</summary>
    public TimeSpan Duration => duration;

    public Task<bool> TryHold() => database.Provider == StorageProvider.Sqlite ? Task.FromResult(true) : writer.Run(session =>
    {
        var now = time.GetUtcNow();
        var until = SqlTime.ToText(now + duration);
        // Run at once, not deferred: the answer is the row count.
        var take = session.Command("UPDATE worker_leases SET owner = @owner, until = @until WHERE name = @name AND (owner = @owner OR until < @now)");
        take.Add("@name", name);
        take.Add("@owner", owner);
        take.Add("@until", until);
        take.Add("@now", SqlTime.ToText(now));
        if (take.ExecuteNonQuery() == 1)
        {
            return true;
        }
        var first = session.Command("INSERT INTO worker_leases (name, owner, until) VALUES (@name, @owner, @until) ON CONFLICT DO NOTHING");
        first.Add("@name", name);
        first.Add("@owner", owner);
        first.Add("@until", until);
        return first.ExecuteNonQuery() == 1;
    });

    /// <summary>Gives the lease up (a silo stopping), so that another takes over at once.</summary>
    public Task Release() => database.Provider == StorageProvider.Sqlite ? Task.CompletedTask : writer.Run(session =>
    {
        var release = session.Command("UPDATE worker_leases SET until = @now WHERE name = @name AND owner = @owner");
        release.Add("@name", name);
        release.Add("@owner", owner);
        release.Add("@now", SqlTime.ToText(time.GetUtcNow().AddTicks(-1)));
        return release.ExecuteNonQuery();
    });
}
