using Scheduler.Audit;
using Scheduler.CalendarFeeds;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Audit;
using Scheduler.Grains.CalendarFeeds;
using Scheduler.Grains.Common;
using Scheduler.Grains.Entities;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Interviewers;

/// <summary>
/// One interviewer. A profile change commits its state, read-model row, audit entry and email claim in one
/// transaction (<see cref="EntityChanges{TState, TEntity}"/>). The calendar is a second state of its own, so a
/// booking rewrites neither the profile nor its read-model row.
/// Because the grain handles one call at a time, the booking checks and the reservation in <see cref="Reserve"/>
/// cannot interleave with another booking: no double-booking, however many silos and requests race.
/// </summary>
public sealed class InterviewerGrain(
    [PersistentState(InterviewerGrain.StateName)] IPersistentState<InterviewerState> state,
    [PersistentState("calendar")] IPersistentState<CalendarState> calendar,
    ReadModelQueries queries,
    CalendarFeedTokens feeds,
    SchedulerTelemetry telemetry,
    TimeProvider time) : Grain, IInterviewerGrain
{
    public const string StateName = "interviewer";

    private static readonly EntityKind<Interviewer> Kind = new("Interviewer", AuditEntityTypes.Interviewer, StateName, i => i.Version,
        InterviewerReadModel.Projection, new(EmailOwnerKind.Interviewer, i => i.Email, "An interviewer"), Publish: _ => null);

    private EntityChanges<InterviewerState, Interviewer>? _entity;

    private string Id => this.GetPrimaryKeyString();

    private EntityChanges<InterviewerState, Interviewer> Entity => _entity ??= new(this, state, Kind, telemetry);

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Entity.OnActivate();

    public Task<Interviewer?> Get() => Task.FromResult(Entity.Live);

    public async Task<Interviewer> Create(InterviewerProfile profile)
    {
        if (state.State.Current is { } existing)
        {
            // A create retried after its first call's silo left mid-call: that call had created it.
            return !state.State.Deleted && existing.Version == 1 && InterviewerRules.Changes(existing, WithProfile(existing, profile)).IsEmpty
                ? existing
                : throw new ConflictException($"Interviewer '{Id}' already exists.", "already_exists");
        }
        var now = time.GetUtcNow();
        var created = new Interviewer(Id, profile.Name, profile.Email, profile.Skills, profile.Status, profile.Timezone, now, now, 1,
            profile.WorkingHours, profile.MaxInterviewsPerDay, profile.BufferMinutes);
        await Entity.Record(created, AuditActions.Created, InterviewerRules.Changes(null, created), now);
        return created;
    }

    public async Task<Interviewer> Update(InterviewerProfile profile, long? expectedVersion, bool keepBookings)
    {
        var current = Entity.Require(expectedVersion);
        var updated = WithProfile(current, profile);
        var changes = InterviewerRules.Changes(current, updated);
        if (changes.IsEmpty)
        {
            return current;
        }
        updated = updated with { UpdatedAt = time.GetUtcNow(), Version = current.Version + 1 };
        if (current.Status == InterviewerStatus.Active && updated.Status != InterviewerStatus.Active)
        {
            EnsureNoUpcomingEvents("deactivated");
        }
        else if (!keepBookings && updated.Status == InterviewerStatus.Active && InterviewerRules.WorkingSettingsChange(current, updated))
        {
            InterviewerRules.EnsureBookingsStillFit(current, updated, Entries(), time.GetUtcNow());
        }
        await Entity.Record(updated, AuditActions.Updated, changes, updated.UpdatedAt);
        return updated;
    }

    private static Interviewer WithProfile(Interviewer interviewer, InterviewerProfile profile) => interviewer with
    {
        Name = profile.Name,
        Email = profile.Email,
        Skills = profile.Skills,
        Status = profile.Status,
        Timezone = profile.Timezone,
        WorkingHours = profile.WorkingHours,
        MaxInterviewsPerDay = profile.MaxInterviewsPerDay,
        BufferMinutes = profile.BufferMinutes,
    };

    public async Task Delete(long? expectedVersion)
    {
        var current = Entity.Require(expectedVersion);
        EnsureNoUpcomingEvents("deleted");
        var deleted = current with { UpdatedAt = time.GetUtcNow(), Version = current.Version + 1 };
        await Entity.Record(deleted, AuditActions.Deleted, InterviewerRules.Changes(current, null), deleted.UpdatedAt, deleted: true);
    }

    public async Task EnsureChangeAllowed(InterviewerProfile? profile, long? expectedVersion)
    {
        var current = Entity.Require(expectedVersion);
        if (profile is not null && EmailIndex.Normalize(current.Email) != EmailIndex.Normalize(profile.Email)
            && await EmailClaims.Owner(queries, EmailOwnerKind.Interviewer, profile.Email) is { } owner && owner != Id)
        {
            throw Kind.Email!.Taken(profile.Email);
        }
    }

    public async Task<Reservation> Reserve(string eventId, Slot slot, bool ignoreBusy = false)
    {
        var reservations = calendar.State.Reservations;
        if (state.State.Current is { } known && reservations.TryGetValue(eventId, out var held) && held == slot)
        {
            return new Reservation(eventId, slot, known.Timezone); // a replay: already ours, even if the interviewer has left since
        }
        if (state.State.Deleted || state.State.Current is not { } current)
        {
            throw new DomainValidationException("interviewerId", $"Interviewer '{Id}' does not exist.", EventCodes.UnknownInterviewer);
        }
        try
        {
            CalendarRules.EnsureBookable(current, Entries(), eventId, slot);
            if (!ignoreBusy && BusyOverlap(slot) is { } busy)
            {
                throw new ConflictException(
                    $"The interviewer's calendar is busy from {busy.StartsAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} to {busy.EndsAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.",
                    EventCodes.CalendarBusy)
                {
                    BusyInterval = busy,
                };
            }
        }
        catch (ConflictException refused)
        {
            telemetry.BookingConflict(refused.Code);
            throw;
        }
        reservations[eventId] = slot;
        Prune(reservations);
        await WriteCalendar();
        return new Reservation(eventId, slot, current.Timezone);
    }

    public async Task Release(string eventId)
    {
        if (calendar.State.Reservations.Remove(eventId))
        {
            await WriteCalendar();
        }
    }

    public async Task SetBusy(string calendarId, IReadOnlyList<Slot>? blocks, DateTimeOffset syncedAt)
    {
        if (blocks is null)
        {
            if (!calendar.State.Busy.Remove(calendarId))
            {
                return;
            }
        }
        else
        {
            calendar.State.Busy[calendarId] = new BusyBlocks(blocks, syncedAt);
        }
        await WriteCalendar();
    }

    public async Task<CalendarFeedKey> CalendarFeed()
    {
        var current = Entity.Require(null);
        var feed = feeds.Issue(Id, state.State.FeedNonce);
        if (feed.Hash != state.State.FeedTokenHash)
        {
            // Not issued yet, or the feed secret changed since: the lookup row follows; the interviewer itself is unchanged.
            (state.State.FeedNonce, state.State.FeedTokenHash) = (feed.Nonce, feed.Hash);
            state.State.FeedIssuedAt = state.State.FeedIssuedAt == default ? time.GetUtcNow() : state.State.FeedIssuedAt;
            await StateWrites.Write(this, state, version => [Kind.Projection(current, false, version), CalendarFeedTokens.Row(Id, feed.Hash)]);
        }
        return new CalendarFeedKey(feed.Token, state.State.FeedIssuedAt);
    }

    public async Task<CalendarFeedKey> RotateCalendarFeed()
    {
        var current = Entity.Require(null);
        var now = time.GetUtcNow();
        var feed = feeds.Issue(Id, null);
        (state.State.FeedNonce, state.State.FeedTokenHash, state.State.FeedIssuedAt) = (feed.Nonce, feed.Hash, now);
        Entity.Stage(current with { UpdatedAt = now, Version = current.Version + 1 }, AuditActions.CalendarFeedRotated,
            new ChangeSet().Field("calendarFeed", "(hidden)", "(rotated)"), now);
        await Entity.Commit(CalendarFeedTokens.Row(Id, feed.Hash));
        return new CalendarFeedKey(feed.Token, now);
    }

    public Task<IReadOnlyList<CalendarEntry>> Calendar() => Task.FromResult<IReadOnlyList<CalendarEntry>>(Entries());

    public Task<IReadOnlyList<Slot>> Availability(DateTimeOffset from, DateTimeOffset to, TimeSpan duration)
    {
        if (state.State.Deleted || state.State.Current is not { } current)
        {
            throw new NotFoundException($"Interviewer '{Id}' was not found.");
        }
        var busy = calendar.State.Busy.Count == 0 ? null : calendar.State.Busy.Values.SelectMany(b => b.Blocks);
        return Task.FromResult(CalendarRules.Availability(current, Entries(), from, to, duration, time.GetUtcNow(), busy));
    }

    // A block that only touches the slot (ends as it starts) does not overlap it.
    private Slot? BusyOverlap(Slot slot) => calendar.State.Busy.Values
        .SelectMany(b => b.Blocks)
        .FirstOrDefault(b => b.StartsAt < slot.EndsAt && slot.StartsAt < b.EndsAt);

    private List<CalendarEntry> Entries() =>
        [.. calendar.State.Reservations.Select(r => new CalendarEntry(r.Key, r.Value)).OrderBy(e => e.Slot.StartsAt)];

    private void EnsureNoUpcomingEvents(string verb)
    {
        var now = time.GetUtcNow();
        var upcoming = Entries().Where(e => e.Slot.StartsAt > now).Select(e => e.EventId).ToArray();
        if (upcoming.Length > 0)
        {
            throw new ConflictException(
                $"Interviewer '{Id}' has {upcoming.Length} upcoming interview(s) and cannot be {verb} while they stand.",
                EventCodes.HasUpcomingEvents)
            {
                RelatedIds = upcoming,
            };
        }
    }

    // Reservations that ended two days ago no longer affect any rule (buffers, today's limit): drop them.
    private void Prune(Dictionary<string, Slot> reservations)
    {
        var horizon = time.GetUtcNow().AddDays(-2);
        foreach (var old in reservations.Where(r => r.Value.EndsAt < horizon).Select(r => r.Key).ToArray())
        {
            reservations.Remove(old);
        }
    }

    private Task WriteCalendar() => StateWrites.Write(this, calendar);
}
