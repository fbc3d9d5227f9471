using System.Security.Cryptography;
using System.Text;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Entities;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Events;

/// <summary>
/// One interview. The interviewer grain owns the calendar; this grain keeps the two consistent with a durable
/// intent: (1) write the new event state together with the calendar change it needs (<see cref="CalendarIntent"/>)
/// and its audit entry; (2) carry the change out: <c>Reserve</c> with the (new) interviewer, which checks and
/// books in one turn, then <c>Release</c> from the old one; (3) project, and acknowledge. Both calls are idempotent
/// by event id. If (2) is refused, the event is written back as it was (a new one is cleared), so the old booking
/// stands. If the process dies after (1), the next activation (the start-up sweep activates every event whose
/// row is behind) carries the intent out again or reverts it: no event without its reservation, nor the reverse.
/// The carried-out intent is dropped from storage with the next write.
/// </summary>
public sealed class InterviewEventGrain(
    [PersistentState(InterviewEventGrain.StateName)] IPersistentState<InterviewEventState> state,
    EntityProjector projector,
    ReadModelQueries queries,
    SchedulerTelemetry telemetry,
    TimeProvider time) : Grain, IInterviewEventGrain, IProjectedGrain
{
    public const string StateName = "event";

    private static readonly EntityKind<InterviewEvent> Kind = new("Event", AuditEntityTypes.Event, StateName, e => e.Version, EventReadModel.Projection);

    private EntityChanges<InterviewEventState, InterviewEvent>? _entity;

    private string Id => this.GetPrimaryKeyString();

    private EntityChanges<InterviewEventState, InterviewEvent> Entity => _entity ??= new(this, state, Kind, projector);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Pending is not null && await IntentWasCarriedOut())
        {
            state.State.Pending = null;
        }
        if (state.State.Pending is not null)
        {
            try
            {
                await CarryOut();
            }
            catch (DomainException)
            {
                await Revert();
            }
        }
        await Entity.OnActivate();
    }

    /// <summary>
    /// The state is projected only after its intent was carried out, so a read-model row at this storage version
    /// proves it was. (Carrying out an old intent again could meet a calendar that has since moved on.)
    /// </summary>
    private async Task<bool> IntentWasCarriedOut()
    {
        return await EventReadModel.ProjectedStorageVersion(queries, Id) is { } projected
            && projected >= long.Parse(state.Etag!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<InterviewEvent?> Get() => Task.FromResult(Entity.Live);

    public async Task<InterviewEvent> Schedule(Booking booking)
    {
        var fingerprint = Fingerprint(booking);
        if (state.State.Current is { } existing)
        {
            if (state.State.BookingFingerprint != fingerprint)
            {
                throw new ConflictException($"Event '{Id}' already exists with a different booking; use a new idempotency key.",
                    EventCodes.IdempotencyKeyReused);
            }
            if (state.State.Deleted)
            {
                throw new ConflictException($"The event this key booked ('{Id}') has been deleted; use a new idempotency key to book again.",
                    EventCodes.EventDeleted);
            }
            return existing; // the same request again: the event it booked, as it stands
        }
        var now = time.GetUtcNow();
        EnsureNotInPast(booking.Slot, now);
        var timezone = booking.Timezone ?? await InterviewerTimezone(booking.InterviewerId);
        var scheduled = new InterviewEvent(Id, booking.InterviewerId, booking.Title, booking.CandidateName, booking.CandidateEmail, booking.Slot,
            timezone, booking.Location, booking.MeetingUrl, booking.Notes, EventStatus.Scheduled, null, ActorContext.Current.Name, now, now, 1);
        state.State.BookingFingerprint = fingerprint;
        await Change(scheduled, AuditActions.Scheduled, EventChanges.Between(null, scheduled),
            new CalendarIntent(booking.InterviewerId, booking.Slot, null, RevertTo: null));
        return scheduled;
    }

    public async Task<InterviewEvent> Update(Booking booking, long? expectedVersion)
    {
        var current = RequireScheduled(expectedVersion);
        var moved = booking.InterviewerId != current.InterviewerId;
        // A new slot, or the same slot in another interviewer's calendar, is a new booking: not in the past.
        if (booking.Slot != current.Slot || moved)
        {
            EnsureNotInPast(booking.Slot, time.GetUtcNow());
        }
        var timezone = booking.Timezone ?? (moved ? await InterviewerTimezone(booking.InterviewerId) : current.Timezone);
        var updated = current with
        {
            InterviewerId = booking.InterviewerId,
            Title = booking.Title,
            CandidateName = booking.CandidateName,
            CandidateEmail = booking.CandidateEmail,
            Slot = booking.Slot,
            Timezone = timezone,
            Location = booking.Location,
            MeetingUrl = booking.MeetingUrl,
            Notes = booking.Notes,
        };
        var changes = EventChanges.Between(current, updated);
        if (changes.IsEmpty)
        {
            return current;
        }
        updated = updated with { UpdatedAt = time.GetUtcNow(), Version = current.Version + 1 };
        var rebooked = moved || updated.Slot != current.Slot;
        var intent = rebooked ? new CalendarIntent(updated.InterviewerId, updated.Slot, moved ? current.InterviewerId : null, current) : null;
        await Change(updated, rebooked ? AuditActions.Rescheduled : AuditActions.Updated, changes, intent);
        return updated;
    }

    public async Task<InterviewEvent> Cancel(string? reason, long? expectedVersion)
    {
        var current = RequireScheduled(expectedVersion);
        var cancelled = current with
        {
            Status = EventStatus.Cancelled,
            CancellationReason = reason,
            UpdatedAt = time.GetUtcNow(),
            Version = current.Version + 1,
        };
        await Change(cancelled, AuditActions.Cancelled, EventChanges.Between(current, cancelled), new CalendarIntent(null, null, current.InterviewerId, current));
        return cancelled;
    }

    public async Task<InterviewEvent> Complete(long? expectedVersion)
    {
        var current = RequireScheduled(expectedVersion);
        var now = time.GetUtcNow();
        if (now < current.Slot.StartsAt)
        {
            throw new ConflictException("An interview can be completed only once it has started.", EventCodes.NotStarted);
        }
        // The slot stays taken: the interview happened and counts towards that day.
        var completed = current with { Status = EventStatus.Completed, UpdatedAt = now, Version = current.Version + 1 };
        await Change(completed, AuditActions.Completed, EventChanges.Between(current, completed), intent: null);
        return completed;
    }

    public async Task Delete(long? expectedVersion)
    {
        var current = Entity.Require(expectedVersion);
        var deleted = current with { UpdatedAt = time.GetUtcNow(), Version = current.Version + 1 };
        state.State.Deleted = true;
        await Change(deleted, AuditActions.Deleted, EventChanges.Between(current, null), new CalendarIntent(null, null, current.InterviewerId, current));
    }

    public Task EnsureProjected() => Entity.Project(force: true);

    private async Task Change(InterviewEvent next, string action, ChangeSet changes, CalendarIntent? intent)
    {
        state.State.Pending = intent;
        await Entity.Record(next, action, changes, next.UpdatedAt);
        if (intent is not null)
        {
            try
            {
                await CarryOut();
            }
            catch (DomainException)
            {
                await Revert();
                throw;
            }
            catch (Exception error)
            {
                // In doubt (the interviewer's silo died, its write lost a race, a timeout): this activation must not
                // answer from a state whose intent may not have happened. The stored intent stays; the next
                // activation carries it out or reverts it before serving anything. The nested error is wrapped: a
                // message rejection passed on as it is would tell the caller's retry filter that this call never ran.
                DeactivateOnIdle();
                throw new ChangeInDoubtException($"Event '{Id}' was changed, but its calendar could not be updated yet; it is completed or undone before the event is served again.", error);
            }
        }
        if (!await Entity.Project() && intent is not null)
        {
            // A later activation learns from the read model that the intent was carried out. With the projection
            // failed, the state itself has to say so: an intent replayed days later can meet a calendar that has
            // moved on, and would be undone although it was acknowledged.
            await projector.TryWrite(this, state, StateName, Id);
        }
        switch (action)
        {
            case AuditActions.Scheduled:
                telemetry.InterviewScheduled();
                break;
            case AuditActions.Rescheduled:
                telemetry.InterviewRescheduled();
                break;
            case AuditActions.Cancelled:
                telemetry.InterviewCancelled();
                break;
        }
    }

    private async Task CarryOut()
    {
        var intent = state.State.Pending!;
        if (intent.ReserveWith is { } interviewerId)
        {
            await GrainFactory.GetGrain<IInterviewerGrain>(interviewerId).Reserve(Id, intent.Slot!);
        }
        if (intent.ReleaseFrom is { } previous && previous != intent.ReserveWith)
        {
            await GrainFactory.GetGrain<IInterviewerGrain>(previous).Release(Id);
        }
        state.State.Pending = null; // stored with the next write; carrying it out again is harmless
    }

    private async Task Revert()
    {
        var intent = state.State.Pending!;
        state.State.Pending = null;
        state.State.Outbox.RemoveAt(state.State.Outbox.Count - 1);
        if (intent.RevertTo is null)
        {
            // A booking that never happened leaves nothing behind (not even for the start-up sweep).
            try
            {
                await state.ClearStateAsync();
            }
            catch
            {
                // Memory no longer matches storage (which still holds the intent): leave, and let the next
                // activation replay the stored intent rather than serve the refused booking.
                DeactivateOnIdle();
                throw;
            }
            return;
        }
        state.State.Current = intent.RevertTo;
        state.State.Deleted = false;
        await Entity.Write();
    }

    private async Task<string> InterviewerTimezone(string interviewerId) =>
        (await GrainFactory.GetGrain<IInterviewerGrain>(interviewerId).Get())?.Timezone
        ?? throw new DomainValidationException("interviewerId", $"Interviewer '{interviewerId}' does not exist.", EventCodes.UnknownInterviewer);

    private InterviewEvent RequireScheduled(long? expectedVersion)
    {
        var current = Entity.Require(expectedVersion);
        if (current.Status != EventStatus.Scheduled)
        {
            throw new ConflictException($"Event '{Id}' is {current.Status.WireName()} and can no longer change.", EventCodes.EventClosed);
        }
        return current;
    }

    private static void EnsureNotInPast(Slot slot, DateTimeOffset now)
    {
        if (slot.StartsAt < now)
        {
            throw new DomainValidationException("startsAt", "An interview cannot be booked to start in the past.", "in_the_past");
        }
    }

    private static string Fingerprint(Booking booking)
    {
        var text = string.Join('\u001f', booking.InterviewerId, booking.Title, booking.CandidateName, booking.CandidateEmail,
            booking.Slot.StartsAt.UtcTicks, booking.Slot.EndsAt.UtcTicks, booking.Timezone, booking.Location, booking.MeetingUrl, booking.Notes);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
