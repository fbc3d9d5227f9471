namespace Scheduler.Grains.Persistence;

/// <summary>
/// A change to the read model; applied inside the writer's transaction, so it must be idempotent. Its statements go
/// through <see cref="ReadModelSession.Execute"/> only (never run by itself), so that a batch of changes can be sent to
/// a server in one round trip.
/// </summary>
public interface IReadModelChange
{
    void Apply(ReadModelSession session);
}

public static class ReadModelChanges
{
    /// <summary>Applies <paramref name="changes"/> in order; how many there were.</summary>
    public static int ApplyAll(this IReadOnlyList<IReadModelChange> changes, ReadModelSession session)
    {
        foreach (var change in changes)
        {
            change.Apply(session);
        }
        return changes.Count;
    }
}
