using Microsoft.Extensions.DependencyInjection;
using Scheduler.Common;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Common;
using Scheduler.Grains.Live;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Entities;

/// <summary>
/// The one path an entity grain changes its entity by: require that it exists at the expected version, stage the new
/// value with its audit entry, and commit. A commit writes, in one transaction, everything the change implies: the
/// state row, the entity's read-model row, its audit rows, its domain events (the outbox), its email claim (the unique index decides a race, on any
/// number of silos) and whatever rows the grain adds (a pending-change mark). A change that spans another grain
/// (a booking) is first written with its audit entries kept in the state (<see cref="Prepare"/>) and committed once
/// carried out. Each grain composes one and keeps only its own rules.
/// </summary>
public sealed class EntityChanges<TState, TEntity>(
    Grain grain, IPersistentState<TState> state, EntityKind<TEntity> kind, SchedulerTelemetry telemetry)
    where TState : IEntityState<TEntity>
    where TEntity : class
{
    // What the last commit left in memory, so that a refused claim can put it back.
    private (TEntity? Current, bool Deleted, int Outbox)? _before;

    // The email the claims table holds for this entity (normalised), as of the last commit.
    private string? _claimed;

    private string Id => grain.GetPrimaryKeyString();

    /// <summary>The entity, or null when it does not exist or was deleted.</summary>
    public TEntity? Live => state.State.Deleted ? null : state.State.Current;

    /// <summary>Learns the committed claim; commits audit entries an earlier version of the service left in the state.</summary>
    public async Task OnActivate()
    {
        _claimed = ClaimOf(Live);
        if (state.State.Outbox.Count > 0 && state.State.Current is not null)
        {
            await Commit();
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

    /// <summary>Stages <paramref name="next"/> with its audit entry stamped at <paramref name="at"/>, and commits it.</summary>
    public async Task Record(TEntity next, string action, ChangeSet changes, DateTimeOffset at, bool deleted = false)
    {
        Stage(next, action, changes, at, deleted);
        await Commit();
    }

    /// <summary>Changes memory only: the entity becomes <paramref name="next"/>, and its audit entry waits in the outbox.</summary>
    public void Stage(TEntity next, string action, ChangeSet changes, DateTimeOffset at, bool deleted = false)
    {
        _before ??= (state.State.Current, state.State.Deleted, state.State.Outbox.Count);
        state.State.Current = next;
        state.State.Deleted = deleted;
        state.State.Outbox.Add(AuditTrail.Entry(kind.AuditType, Id, kind.Version(next), action, changes.ToJson(), at));
    }

    /// <summary>
    /// Writes the staged state alone, its audit entries kept in it, with <paramref name="also"/> (a pending-change
    /// mark): the first step of a change that another grain must carry out before it is committed.
    /// </summary>
    public async Task Prepare(params IReadOnlyList<IReadModelChange> also)
    {
        await StateWrites.Write(grain, state, _ => also);
        _before = null;
    }

    /// <summary>
    /// Commits the state as it stands in one transaction with its read-model row, its audit entries (the outbox,
    /// emptied by the same write), its email claim and <paramref name="also"/>. A claim the unique index refuses
    /// puts memory back as the last commit left it and answers 409 <c>email_taken</c>; any other failure drops the
    /// activation (its memory may be ahead of storage).
    /// </summary>
    public async Task Commit(params IReadOnlyList<IReadModelChange> also)
    {
        var current = state.State.Current ?? throw new InvalidOperationException($"{kind.Label} '{Id}' has nothing to commit.");
        var deleted = state.State.Deleted;
        var entries = state.State.Outbox.ToArray();
        var claim = deleted ? null : ClaimOf(current);
        var claimRow = kind.Email is not { } unique || claim == _claimed ? null
            : claim is null ? EmailClaims.Release(unique.Owner, Id)
            : EmailClaims.Claim(unique.Owner, Id, claim);
        state.State.Outbox.Clear();
        try
        {
            await CommitRows.Write(state, version =>
            {
                var rows = new List<IReadModelChange>(entries.Length + also.Count + 2) { kind.Projection(current, deleted, version) };
                rows.AddRange(entries.Select(AuditTrail.Projection));
                if (kind.Publish is { } publish && entries.Length > 0)
                {
                    var data = publish(current);
                    rows.AddRange(entries.Select(entry => DomainEvents.Row(entry, data)));
                }
                if (claimRow is not null)
                {
                    rows.Add(claimRow);
                }
                rows.AddRange(also);
                return rows;
            });
        }
        catch (Exception error) when (Find<UniqueClaimException>(error) is not null && kind.Email is { } email && _before is { } before)
        {
            (state.State.Current, state.State.Deleted) = (before.Current, before.Deleted);
            state.State.Outbox.AddRange(entries.Take(before.Outbox));
            _before = null;
            throw email.Taken(email.Of(current));
        }
        catch
        {
            state.State.Outbox.InsertRange(0, entries);
            grain.DeactivateOnIdle();
            throw;
        }
        _before = null;
        _claimed = claim;
        telemetry.AuditEntriesWritten(entries.Length);
        if (kind.Publish is not null && entries.Length > 0)
        {
            grain.GrainContext.ActivationServices.GetService<LiveFeed>()?.Published();
        }
    }

    /// <summary>Puts back memory as the last commit left it (a change refused before it was written).</summary>
    public void Discard()
    {
        if (_before is { } before)
        {
            (state.State.Current, state.State.Deleted) = (before.Current, before.Deleted);
            state.State.Outbox.RemoveRange(before.Outbox, state.State.Outbox.Count - before.Outbox);
            _before = null;
        }
    }

    private string? ClaimOf(TEntity? entity) => entity is not null && kind.Email is { } email ? EmailIndex.Normalize(email.Of(entity)) : null;

    private static T? Find<T>(Exception? error) where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }
        }
        return null;
    }
}
