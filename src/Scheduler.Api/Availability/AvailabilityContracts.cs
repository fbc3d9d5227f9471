using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Api.Interviewers;

namespace Scheduler.Api.Availability;

/// <summary>The query of <c>GET /api/availability</c>.</summary>
/// <param name="PerSlot">How many of the free interviewers each slot names (1-100, default 10); <c>freeCount</c> says how many there are.</param>
/// <param name="Skills">Repeatable (<c>?skills=java&amp;skills=sql</c>) or comma-separated: every one must match. None: any interviewer.</param>
public sealed record RosterAvailabilityQuery(
    [FromQuery(Name = "skills")] string[]? Skills,
    [FromQuery(Name = "from")] Instant? From,
    [FromQuery(Name = "to")] Instant? To,
    [FromQuery(Name = "durationMinutes")] int? DurationMinutes,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "perSlot")] int? PerSlot);

/// <summary>
/// An interviewer named in the answer; <c>scheduledInWindow</c> counts its interviews in [from, to) (the order is fewest
/// first). Only staff see the count: an interviewer user does not see how busy another is.
/// </summary>
public sealed record RosterInterviewerResponse(string Id, string Name, int? ScheduledInWindow);

/// <summary>A free slot: how many interviewers are free for it, and the first <c>perSlot</c> of them, least-loaded first.</summary>
public sealed record RosterSlotResponse(DateTime StartsAt, DateTime EndsAt, IReadOnlyList<string> InterviewerIds, int FreeCount);

/// <param name="HasMore">More slots exist after the last one given (ask again from its end, or with a higher limit).</param>
public sealed record RosterAvailabilityResponse(
    IReadOnlyList<RosterSlotResponse> Slots, IReadOnlyList<RosterInterviewerResponse> Interviewers, bool HasMore);

/// <summary>One session of a panel: the skills its interviewer must all have.</summary>
public sealed record PanelRequirementRequest([property: MaxLength(InterviewerValidation.MaxSkills)] string[]? Skills);

/// <summary>Body of <c>POST /api/availability/panel</c>.</summary>
/// <param name="Mode"><c>parallel</c> (default: the sessions at once) or <c>back-to-back</c> (one after another, in order).</param>
public sealed record PanelRequest(
    [property: Required, MinLength(1), MaxLength(AvailabilityValidation.MaxRequirements)] PanelRequirementRequest[]? Requirements,
    [property: Required, Range(5, 480)] int? DurationMinutes,
    [property: Required] DateTimeOffset? From,
    [property: Required] DateTimeOffset? To,
    [property: StringLength(32)] string? Mode = null,
    [property: Range(1, RequestValidation.MaxLimit)] int? Limit = null);

public sealed record PanelSessionResponse(int Requirement, string InterviewerId, DateTime StartsAt, DateTime EndsAt);

public sealed record PanelResponse(DateTime StartsAt, DateTime EndsAt, IReadOnlyList<PanelSessionResponse> Sessions);

public sealed record PanelAvailabilityResponse(
    IReadOnlyList<PanelResponse> Panels, IReadOnlyList<RosterInterviewerResponse> Interviewers, bool HasMore);

/// <summary>One interview of a panel to book; <c>title</c> defaults to the panel's.</summary>
public sealed record PanelSessionRequest(
    [property: Required, StringLength(64)] string? InterviewerId,
    [property: Required] DateTimeOffset? StartsAt,
    [property: Required] DateTimeOffset? EndsAt,
    [property: StringLength(200)] string? Title = null);

/// <summary>Body of <c>POST /api/availability/panel/book</c>: the candidate and details shared by every session.</summary>
public sealed record PanelBookingRequest(
    [property: Required, StringLength(200)] string? Title,
    [property: Required, StringLength(200)] string? CandidateName,
    [property: Required, StringLength(254), EmailAddress] string? CandidateEmail,
    [property: Required, MinLength(1), MaxLength(AvailabilityValidation.MaxRequirements)] PanelSessionRequest[]? Sessions,
    [property: StringLength(64)] string? Timezone = null,
    [property: StringLength(500)] string? Location = null,
    [property: StringLength(2048), Url] string? MeetingUrl = null,
    [property: StringLength(5000)] string? Notes = null);

/// <summary>The booked interviews, in the order of the sessions.</summary>
public sealed record PanelBookingResponse(IReadOnlyList<EventResponse> Events);
