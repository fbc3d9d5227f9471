using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Entities;
using Scheduler.Grains.Persistence;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Events;

/// <summary>
/// The three steps of an event change that books or frees a slot in an interviewer's calendar, another grain's state
/// (see <see cref="InterviewEventGrain"/>): (1) <see cref="EntityChanges{TState, TEntity}.Prepare"/> the staged change
/// with its <see cref="CalendarIntent"/> and a pending-change mark; (2) carry the intent out with the interviewers;
/// (3) commit without it, clearing the mark. A refusal in (2) reverts; anything else leaves the intent stored, and the
/// next activation (<see cref="Resume"/>) finishes or reverts it before the event serves anything.
/// </summary>
internal sealed class CalendarChanges(
    Grain grain,
    IPersistentState<InterviewEventState> state,
    EntityChanges<InterviewEventState, InterviewEvent> entity,
    IGrainFactory grains,
    TimeProvider time)
{
    private static readonly string GrainClass = typeof(InterviewEventGrain).FullName!;

    private string Id => grain.GetPrimaryKeyString();

    /// <summary>Makes the staged change with <paramref name="intent"/> in three steps; returns once it is committed.</summary>
    public async Task Apply(CalendarIntent intent)
    {
        state.State.Pending = intent;
        try
        {
            await entity.Prepare(PendingChanges.Mark(GrainClass, Id));
        }
        catch
        {
            state.State.Pending = null;
            entity.Discard();
            throw;
        }
        try
        {
            await CarryOut();
        }
        catch (DomainException)
        {
            try
            {
                await Revert();
            }
            catch (Exception error)
            {
                // The intent is still stored, and the next activation carries it out again: it may stand after all.
                throw InDoubt("it was refused and could not be undone yet", error);
            }
            throw;
        }
        catch (Exception error)
        {
            // In doubt (the interviewer's silo died, its write lost a race, a timeout): this activation must not
            // answer from a state whose intent may not have happened. The stored intent stays; the next activation
            // carries it out or reverts it before serving anything. The nested error is wrapped: a message rejection
            // passed on as it is would tell the caller's retry filter that this call never ran.
            grain.DeactivateOnIdle();
            throw InDoubt("its calendar could not be updated yet", error);
        }
        try
        {
            await Settle();
        }
        catch (Exception error)
        {
            // Carried out, not committed: the next activation finds the intent, carries it out again (a no-op), commits.
            throw InDoubt("it could not be recorded yet", error);
        }
    }

    /// <summary>At activation: finishes the change an earlier activation left pending, or reverts it if refused.</summary>
    public async Task Resume()
    {
        if (state.State.Pending is not { } intent)
        {
            return;
        }
        try
        {
            if (intent.Slot is not { } slot || slot.EndsAt > time.GetUtcNow())
            {
                await CarryOut();
            }
            else if ((intent.ReleaseFrom ?? intent.ReserveWith) is { } holder)
            {
                // A slot that has ended needs no reservation any more, and the change stands as written; but the slot
                // the event held before (a later one, or another interviewer's) must not stay taken. Idempotent.
                await grains.GetGrain<IInterviewerGrain>(holder).Release(Id);
            }
            await Settle();
        }
        catch (DomainException)
        {
            await Revert();
        }
    }

    private ChangeInDoubtException InDoubt(string why, Exception error) =>
        new($"Event '{Id}' was changed, but {why}; it is completed or undone before the event is served again.", error);

    private async Task CarryOut()
    {
        var intent = state.State.Pending!;
        if (intent.ReserveWith is { } interviewerId)
        {
            await grains.GetGrain<IInterviewerGrain>(interviewerId).Reserve(Id, intent.Slot!, intent.IgnoreBusy);
        }
        if (intent.ReleaseFrom is { } previous && previous != intent.ReserveWith)
        {
            await grains.GetGrain<IInterviewerGrain>(previous).Release(Id);
        }
    }

    /// <summary>Step (3): the state without its intent, committed with everything the change implies, the mark cleared.</summary>
    private Task Settle()
    {
        state.State.Pending = null;
        return entity.Commit(PendingChanges.Clear(GrainClass, Id));
    }

    /// <summary>The calendar refused: the event as it was before the change (none, for a new one), the mark cleared.</summary>
    private async Task Revert()
    {
        var intent = state.State.Pending!;
        state.State.Pending = null;
        state.State.Outbox.RemoveAt(state.State.Outbox.Count - 1);
        IReadOnlyList<IReadModelChange> cleared = [PendingChanges.Clear(GrainClass, Id)];
        try
        {
            if (intent.RevertTo is null)
            {
                // A booking that never happened leaves nothing behind.
                await CommitRows.Clear(state, _ => cleared);
                return;
            }
            state.State.Current = intent.RevertTo;
            state.State.Deleted = false;
            await CommitRows.Write(state, _ => cleared);
        }
        catch
        {
            // Memory no longer matches storage (which still holds the intent): leave, and let the next activation
            // replay the stored intent rather than serve the refused change.
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
