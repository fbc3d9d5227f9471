using Scheduler.Common;

namespace Scheduler.Events;

/// <summary>
/// One interview, keyed by its id. It books, moves and frees its slot in the interviewer's calendar (owned by
/// the <see cref="Interviewers.IInterviewerGrain"/>) and keeps the audit trail of its changes.
/// </summary>
public interface IInterviewEventGrain : IGrainWithStringKey
{
    /// <summary>
    /// Books the interview. Called again with the same booking (a retried request with the same idempotency key),
    /// it returns the event as first booked.
    /// </summary>
    /// <exception cref="ConflictException">Calendar conflicts (<see cref="EventCodes"/>) or a reused key.</exception>
    /// <exception cref="DomainValidationException">Unknown interviewer.</exception>
    Task<InterviewEvent> Schedule(Booking booking);

    [ReadOnly]
    Task<InterviewEvent?> Get();

    /// <summary>Edits or reschedules (possibly to another interviewer). On any failure the old booking stands.</summary>
    Task<InterviewEvent> Update(Booking booking, long? expectedVersion);

    Task<InterviewEvent> Cancel(string? reason, long? expectedVersion);

    Task<InterviewEvent> Complete(long? expectedVersion);

    Task Delete(long? expectedVersion);
}

/// <param name="InterviewerId">Null: every interviewer.</param>
/// <param name="From">Events ending after this instant.</param>
/// <param name="To">Events starting before this instant.</param>
/// <param name="Text">Words that each begin a word of the title, candidate name or email, or notes.</param>
/// <param name="After">Where the previous page ended (cursor paging); the offset is then 0.</param>
/// <param name="BestMatch">Order by how well <paramref name="Text"/> matches (no cursor), not by <paramref name="Sort"/>.</param>
[GenerateSerializer, Immutable]
public sealed record EventQuery(
    string? InterviewerId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    EventStatus? Status,
    string? CandidateEmail,
    EventSort Sort,
    bool Descending,
    int Limit,
    int Offset,
    string? Text = null,
    PageCursor? After = null,
    bool BestMatch = false);

public enum EventSort
{
    StartsAt,
    CreatedAt,
    UpdatedAt,
}

/// <summary>Lists events from the read model. Use key 0.</summary>
public interface IEventQueryGrain : IGrainWithIntegerKey
{
    Task<Page<InterviewEvent>> List(EventQuery query);
}
