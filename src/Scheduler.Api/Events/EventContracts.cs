using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Common;
using Scheduler.Common;
using Scheduler.Events;

namespace Scheduler.Api.Events;

/// <summary>Body of <c>POST /api/events</c> and <c>PUT /api/events/{id}</c> (full replacement of these fields).</summary>
public sealed record EventRequest(
    [property: Required, StringLength(64)] string? InterviewerId,
    [property: Required, StringLength(200)] string? Title,
    [property: Required, StringLength(200)] string? CandidateName,
    [property: Required, StringLength(254), EmailAddress] string? CandidateEmail,
    [property: Required] DateTimeOffset? StartsAt,
    [property: Required] DateTimeOffset? EndsAt,
    [property: StringLength(64)] string? Timezone,
    [property: StringLength(500)] string? Location,
    [property: StringLength(2048), Url] string? MeetingUrl,
    [property: StringLength(5000)] string? Notes);

public sealed record CancelEventRequest([property: StringLength(1000)] string? Reason);

public sealed record EventResponse(
    string Id,
    string InterviewerId,
    string Title,
    string CandidateName,
    string CandidateEmail,
    DateTime StartsAt,
    DateTime EndsAt,
    string Timezone,
    string? Location,
    string? MeetingUrl,
    string? Notes,
    string Status,
    string? CancellationReason,
    string CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version)
{
    public static EventResponse From(InterviewEvent e) => new(
        e.Id, e.InterviewerId, e.Title, e.CandidateName, e.CandidateEmail, e.Slot.StartsAt.UtcDateTime, e.Slot.EndsAt.UtcDateTime,
        e.Timezone, e.Location, e.MeetingUrl, e.Notes, e.Status.WireName(), e.CancellationReason, e.CreatedBy,
        e.CreatedAt.UtcDateTime, e.UpdatedAt.UtcDateTime, e.Version);
}

/// <summary>
/// The query of <c>GET /api/events</c> (which adds <c>interviewerId</c>) and <c>GET /api/interviewers/{id}/events</c>:
/// every member is optional.
/// </summary>
/// <param name="From">Interviews ending after this instant.</param>
/// <param name="To">Interviews starting before this instant.</param>
/// <param name="Q">Words searched in title, candidate name and email, and notes, each as a word prefix (case and accents ignored).</param>
/// <param name="Sort">One of <see cref="WireNames.EventSorts"/>, optionally prefixed by <c>-</c> (descending);
/// without it, a search lists the best match first, and other lists sort by start.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page (instead of <c>offset</c>).</param>
public sealed record EventListQuery(
    [FromQuery(Name = "from")] Instant? From,
    [FromQuery(Name = "to")] Instant? To,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "candidateEmail")] string? CandidateEmail,
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "offset")] int? Offset,
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "cursor")] string? Cursor = null);
