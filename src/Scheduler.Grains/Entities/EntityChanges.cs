using Scheduler.Common;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Entities;

/// <summary>
/// The one path an entity grain changes its entity by: require that it exists at the expected version, record the
/// new value with its audit entry (everything the change writes is listed in the state, so one durable write carries
/// it), make it durable, then project it to the read model. The outbox is emptied once projected and the emptied list
/// is stored with the next write; a crash in between leaves it full, and the next activation (or the start-up sweep)
/// projects again: projection is idempotent by storage version. Each grain composes one and keeps only its own rules.
/// </summary>
public sealed class EntityChanges<TState, TEntity>(
    Grain grain, IPersistentState<TState> state, EntityKind<TEntity> kind, EntityProjector projector)
    where TState : IEntityState<TEntity>
    where TEntity : class
{
    // When the last write became durable: the projection lag is measured from here.
    private long _durableAt;

    private string Id => grain.GetPrimaryKeyString();

    /// <summary>The entity, or null when it does not exist or was deleted.</summary>
    public TEntity? Live => state.State.Deleted ? null : state.State.Current;

    /// <summary>Projects what an earlier activation left in the outbox.</summary>
    public async Task OnActivate()
    {
        if (state.State.Outbox.Count > 0)
        {
            await Project();
        }
    }

    /// <summary>The entity; 404 when it does not exist, 412 when <paramref name="expectedVersion"/> is not its version.</summary>
    public TEntity Require(long? expectedVersion)
    {
        if (state.State.Deleted || state.State.Current is not { } current)
        {
            throw new NotFoundException($"{kind.Label} '{Id}' was not found.");
        }
        if (expectedVersion is { } expected && expected != kind.Version(current))
        {
            throw new VersionMismatchException(expected, kind.Version(current));
        }
        return current;
    }

    /// <summary>
    /// Records <paramref name="next"/> with its audit entry, stamped at <paramref name="at"/>, and makes the state
    /// durable. A failed write drops the activation (see <see cref="EntityProjector.Write"/>).
    /// </summary>
    public async Task Record(TEntity next, string action, ChangeSet changes, DateTimeOffset at)
    {
        state.State.Current = next;
        state.State.Outbox.Add(AuditTrail.Entry(kind.AuditType, Id, kind.Version(next), action, changes.ToJson(), at));
        await Write();
    }

    /// <summary>Makes the state durable as it stands (a revert, an intent carried out).</summary>
    public async Task Write() => _durableAt = await projector.Write(grain, state);

    /// <summary>Projects the entity and its outbox; false if that failed (logged; the read model catches up later).</summary>
    public Task<bool> Project(bool force = false) =>
        state.State.Current is { } current && (force || state.State.Outbox.Count > 0)
            ? projector.Project(kind.Projection(current, state.State.Deleted, EntityProjector.StorageVersion(state.Etag)),
                state.State.Outbox, kind.StateName, Id, _durableAt)
            : Task.FromResult(true);
}
