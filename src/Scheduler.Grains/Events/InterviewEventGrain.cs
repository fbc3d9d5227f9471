using System.Text.Json;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Entities;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Events;

/// <summary>
/// One interview. The interviewer grain owns the calendar, so a change that books or frees a slot spans two grains'
/// states and is made in three steps: (1) write the new event state with the calendar change it needs
/// (<see cref="CalendarIntent"/>) and its audit entry kept in the state, and mark the event in <c>pending_changes</c>;
/// (2) carry the change out: <c>Reserve</c> with the (new) interviewer, which checks and books in one turn, then
/// <c>Release</c> from the old one, both idempotent by event id; (3) commit: the state without its intent, the
/// read-model row, the audit row and the cleared mark, in one transaction, and acknowledge. If (2) is refused, the
/// event is written back as it was (a new one is cleared), so the old booking stands. If the process dies in
/// between, the start-up recovery activates every marked event, and the activation carries the intent out again
/// or reverts it: no event without its reservation, nor the reverse, and the read model never shows a change the
/// calendar refused. A change that needs no calendar change is committed in one step.
/// </summary>
public sealed class InterviewEventGrain(
    [PersistentState(InterviewEventGrain.StateName)] IPersistentState<InterviewEventState> state,
    SchedulerTelemetry telemetry,
    TimeProvider time) : Grain, IInterviewEventGrain, IResumableGrain
{
    public const string StateName = "event";

    private static readonly EntityKind<InterviewEvent> Kind = new("Event", AuditEntityTypes.Event, StateName, e => e.Version, EventReadModel.Projection,
        Publish: e => JsonSerializer.Serialize(e, NotificationJson.Default.InterviewEvent));

    private EntityChanges<InterviewEventState, InterviewEvent>? _entity;

    private string Id => this.GetPrimaryKeyString();

    private EntityChanges<InterviewEventState, InterviewEvent> Entity => _entity ??= new(this, state, Kind, telemetry);

    private CalendarChanges? _calendar;

    private CalendarChanges Calendar => _calendar ??= new(this, state, Entity, GrainFactory, time);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Calendar.Resume();
        await Entity.OnActivate();
    }

    /// <summary>The activation has finished or undone any pending change (see <see cref="OnActivateAsync"/>).</summary>
    public Task Resume() => Task.CompletedTask;

    public Task<InterviewEvent?> Get() => Task.FromResult(Entity.Live);

    public async Task<InterviewEvent> Schedule(Booking booking)
    {
        var fingerprint = BookingFingerprint.Of(booking);
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
        await Change(scheduled, AuditActions.Scheduled, EventChanges.Between(null, scheduled).IgnoredBusy(booking),
            new CalendarIntent(booking.InterviewerId, booking.Slot, null, RevertTo: null, booking.IgnoreCalendarBusy));
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
        var intent = rebooked
            ? new CalendarIntent(updated.InterviewerId, updated.Slot, moved ? current.InterviewerId : null, current, booking.IgnoreCalendarBusy)
            : null;
        changes = rebooked ? changes.IgnoredBusy(booking) : changes;
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
        await Change(deleted, AuditActions.Deleted, EventChanges.Between(current, null), new CalendarIntent(null, null, current.InterviewerId, current),
            deleted: true);
    }

    private async Task Change(InterviewEvent next, string action, ChangeSet changes, CalendarIntent? intent, bool deleted = false)
    {
        if (intent is null)
        {
            await Entity.Record(next, action, changes, next.UpdatedAt, deleted);
        }
        else
        {
            Entity.Stage(next, action, changes, next.UpdatedAt, deleted);
            await Calendar.Apply(intent);
        }
        Count(action);
    }

    private void Count(string action)
    {
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
}
