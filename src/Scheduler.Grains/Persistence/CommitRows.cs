namespace Scheduler.Grains.Persistence;

/// <summary>
/// The rows a grain-state write commits in its own transaction beside the state row: the entity's read-model rows,
/// its audit rows, its uniqueness claims, its pending-change marker (and, with notifications, its domain events).
/// The Orleans storage bridge between a grain's <c>WriteStateAsync</c> and the storage passes nothing else, so a
/// grain hands them over on the call's flow (<see cref="Write"/>, <see cref="Clear"/>) and the storage reads them
/// there. Given the state row's new storage version, they are applied after the row inside one savepoint: all of
/// them commit with the state, or none does.
/// </summary>
public static class CommitRows
{
    private static readonly AsyncLocal<Func<long, IReadOnlyList<IReadModelChange>>?> Pending = new();

    /// <summary>The rows the state write on this call flow carries; null for a plain state write.</summary>
    internal static Func<long, IReadOnlyList<IReadModelChange>>? Current => Pending.Value;

    /// <summary>Writes <paramref name="state"/> and <paramref name="rows"/> in one transaction.</summary>
    public static async Task Write<T>(IPersistentState<T> state, Func<long, IReadOnlyList<IReadModelChange>> rows)
    {
        // Set on this async method's own flow: the storage called below sees it, the caller never does.
        Pending.Value = rows;
        await state.WriteStateAsync();
    }

    /// <summary>Clears <paramref name="state"/> and writes <paramref name="rows"/> in one transaction.</summary>
    public static async Task Clear<T>(IPersistentState<T> state, Func<long, IReadOnlyList<IReadModelChange>> rows)
    {
        Pending.Value = rows;
        await state.ClearStateAsync();
    }
}
