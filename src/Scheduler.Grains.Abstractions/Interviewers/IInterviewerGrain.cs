using Scheduler.CalendarFeeds;
using Scheduler.Common;
using Scheduler.Events;

namespace Scheduler.Interviewers;

/// <summary>One interviewer, keyed by its id. Owns the profile and the audit trail of its changes.</summary>
public interface IInterviewerGrain : IGrainWithStringKey
{
    /// <summary>Creates the interviewer; the same profile again (a call retried) returns the interviewer it created.</summary>
    /// <exception cref="ConflictException">The id is taken (<c>already_exists</c>) or the email is (<c>email_taken</c>).</exception>
    [Repeatable]
    Task<Interviewer> Create(InterviewerProfile profile);

    [ReadOnly]
    Task<Interviewer?> Get();

    /// <summary>
    /// Replaces the profile. A change of time zone, working hours, daily limit or buffer that upcoming interviews would
    /// no longer fit is refused (<c>bookings_outside_settings</c>, listed) unless <paramref name="keepBookings"/>: those
    /// interviews then stay as booked.
    /// </summary>
    /// <exception cref="NotFoundException">No such interviewer.</exception>
    /// <exception cref="VersionMismatchException"><paramref name="expectedVersion"/> is given and stale.</exception>
    /// <exception cref="ConflictException">Upcoming interviews: the interviewer deactivated, or its settings changed under them.</exception>
    Task<Interviewer> Update(InterviewerProfile profile, long? expectedVersion, bool keepBookings = false);

    /// <inheritdoc cref="Update"/>
    /// <exception cref="ConflictException">Upcoming scheduled events (<c>has_upcoming_events</c>, listed).</exception>
    Task Delete(long? expectedVersion);

    /// <summary>
    /// Throws what <see cref="Update"/> with <paramref name="profile"/> (or <see cref="Delete"/>, without one) would
    /// throw for the interviewer's existence, <paramref name="expectedVersion"/> and the new email, and changes nothing:
    /// asked before a change's upcoming interviews are cancelled, which cannot be undone.
    /// </summary>
    /// <exception cref="NotFoundException">No such interviewer.</exception>
    /// <exception cref="VersionMismatchException"><paramref name="expectedVersion"/> is given and stale.</exception>
    /// <exception cref="ConflictException">The new email is taken (<c>email_taken</c>).</exception>
    [ReadOnly]
    Task EnsureChangeAllowed(InterviewerProfile? profile, long? expectedVersion);

    /// <summary>
    /// Reserves <paramref name="slot"/> for the event, replacing any slot the event already holds here; the checks
    /// (active, working hours, daily limit, overlap with buffers) and the reservation happen in one turn, so no two
    /// bookings can both win. Idempotent: reserving what the event already holds succeeds unchecked.
    /// </summary>
    /// <exception cref="ConflictException">A rule is broken (<see cref="EventCodes"/>).</exception>
    /// <exception cref="DomainValidationException">No such interviewer (<c>unknown_interviewer</c>).</exception>
    /// <exception cref="ConflictException">The slot overlaps external busy time (<c>calendar_busy</c>) and <paramref name="ignoreBusy"/> is not set.</exception>
    Task<Reservation> Reserve(string eventId, Slot slot, bool ignoreBusy = false);

    /// <summary>Replaces the busy blocks synced from one linked calendar (null: the calendar was unlinked).</summary>
    Task SetBusy(string calendarId, IReadOnlyList<Slot>? blocks, DateTimeOffset syncedAt);

    /// <summary>Frees the event's slot, if it holds one. Idempotent.</summary>
    Task Release(string eventId);

    /// <summary>
    /// The secret of the interviewer's calendar feed, issued on first use (and issued again, with the same randomness, when
    /// the server's feed secret has changed since). A second call after one whose outcome is unknown answers the secret
    /// the first stored, or stores one: repeatable, so a GET of the feed address that meets a leaving silo is retried.
    /// </summary>
    /// <exception cref="NotFoundException">No such interviewer.</exception>
    [Repeatable]
    Task<CalendarFeedKey> CalendarFeed();

    /// <summary>Issues a new feed secret: the old feed URL answers 404 from now on. Audited (<c>calendar_feed_rotated</c>).</summary>
    /// <exception cref="NotFoundException">No such interviewer.</exception>
    Task<CalendarFeedKey> RotateCalendarFeed();

    [ReadOnly]
    Task<IReadOnlyList<CalendarEntry>> Calendar();

    /// <summary>Free slots of <paramref name="duration"/> on a 15-minute grid in [from, to).</summary>
    [ReadOnly]
    Task<IReadOnlyList<Slot>> Availability(DateTimeOffset from, DateTimeOffset to, TimeSpan duration);
}
