using Microsoft.Extensions.Logging;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Durable writes of a grain's state, the same for every grain: a write that failed leaves the activation's memory
/// ahead of storage, so the activation leaves memory and the next call reloads the truth.
/// </summary>
public sealed class StateWrites(ILogger<StateWrites> logger)
{
    public static async Task Write<T>(IGrainBase grain, IPersistentState<T> state, Func<long, IReadOnlyList<IReadModelChange>>? rows = null)
    {
        try
        {
            if (rows is null)
            {
                await state.WriteStateAsync();
            }
            else
            {
                await CommitRows.Write(state, rows);
            }
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Writes the state as <see cref="Write"/> does, for a write that only records what is already true: a failure
    /// is logged, not thrown (the activation still leaves memory).
    /// </summary>
    public async Task TryWrite<T>(IGrainBase grain, IPersistentState<T> state, string entity, string id, Func<long, IReadOnlyList<IReadModelChange>>? rows = null)
    {
        try
        {
            await Write(grain, state, rows);
        }
        catch (Exception error)
        {
            logger.LogError(error, "Write of {Entity} {Id} failed", entity, id);
        }
    }
}
