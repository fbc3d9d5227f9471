using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// A cluster-wide lease in <c>worker_leases</c>: one silo at a time holds a name until its lease runs out, renewing it
/// while it works, so that a worker runs once per cluster and moves to another silo when its holder dies.
/// </summary>
public sealed class WorkerLease(DatabaseWriter writer, TimeProvider time, string name, string owner, TimeSpan duration)
{
    public Task<bool> TryHold() => writer.Run(session =>
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
}
