using Microsoft.Extensions.Logging;
using Scheduler.Audit;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// The write-then-project mechanism every entity grain uses: make the state (with its audit outbox) durable,
/// then hand the entity's row and the outbox to the read-model writer; entries projected are dropped from the
/// outbox, and the emptied outbox is stored with the next write. Projection is idempotent by storage version.
/// </summary>
public sealed class EntityProjector(DatabaseWriter readModel, SchedulerTelemetry telemetry, TimeProvider time, ILogger<EntityProjector> logger)
{
    /// <summary>Writes the state; returns when it became durable (a timestamp for the projection lag).</summary>
    public async Task<long> Write<T>(IGrainBase grain, IPersistentState<T> state)
    {
        try
        {
            await state.WriteStateAsync();
            return time.GetTimestamp();
        }
        catch
        {
            // The activation's memory is ahead of storage: drop it so the next call reloads the truth.
            grain.DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Writes the state as <see cref="Write"/> does, for a write that only records what is already true: a failure
    /// is logged, not thrown (the activation still leaves memory).
    /// </summary>
    public async Task TryWrite<T>(IGrainBase grain, IPersistentState<T> state, string entity, string id)
    {
        try
        {
            await Write(grain, state);
        }
        catch (Exception error)
        {
            logger.LogError(error, "Write of {Entity} {Id} failed", entity, id);
        }
    }

    /// <summary>
    /// Projects <paramref name="row"/> and the outbox; false if that failed. A failure is logged, not thrown: the
    /// change is durable, and the read model catches up on the next write, the next activation or the start-up sweep.
    /// </summary>
    public async Task<bool> Project(IReadModelChange row, List<AuditEntry> outbox, string entity, string id, long durableAt)
    {
        var flushed = outbox.Count;
        var changes = new List<IReadModelChange>(flushed + 1) { row };
        changes.AddRange(outbox.Select(AuditTrail.Projection));
        try
        {
            await readModel.Write(changes);
            if (durableAt != 0)
            {
                telemetry.ProjectionLag(time.GetElapsedTime(durableAt), entity);
            }
            telemetry.AuditEntriesWritten(flushed);
            outbox.RemoveRange(0, flushed);
            return true;
        }
        catch (Exception error)
        {
            logger.LogError(error, "Projection of {Entity} {Id} failed", entity, id);
            return false;
        }
    }

    public static long StorageVersion(string? etag) => long.Parse(etag!, System.Globalization.CultureInfo.InvariantCulture);
}
