using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Common;
using Scheduler.Common;
using Scheduler.Interviewers;

namespace Scheduler.Api.Interviewers;

/// <summary>Body of <c>POST</c> and <c>PUT /api/interviewers</c>. Only these fields are read (no id, version or dates).</summary>
public sealed record InterviewerRequest(
    [property: Required, StringLength(InterviewerValidation.MaxName)] string? Name,
    [property: Required, StringLength(254), EmailAddress] string? Email,
    [property: MaxLength(InterviewerValidation.MaxSkills)] string[]? Skills,
    string? Status,
    [property: StringLength(64)] string? Timezone,
    Dictionary<string, TimeRangeDto[]?>? WorkingHours = null,
    [property: Range(1, 50)] int? MaxInterviewsPerDay = null,
    [property: Range(0, 120)] int? BufferMinutes = null);

/// <summary>Wall-clock hours in the interviewer's zone, <c>HH:mm</c> (end may be <c>24:00</c>).</summary>
public sealed record TimeRangeDto(string? Start, string? End);

public sealed record InterviewerResponse(
    string Id,
    string Name,
    string Email,
    IReadOnlyList<string> Skills,
    string Status,
    string Timezone,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version,
    IReadOnlyDictionary<string, TimeRangeDto[]>? WorkingHours,
    int? MaxInterviewsPerDay,
    int BufferMinutes)
{
    public static InterviewerResponse From(Interviewer i) => new(
        i.Id, i.Name, i.Email, i.Skills, i.Status.WireName(), i.Timezone, i.CreatedAt.UtcDateTime, i.UpdatedAt.UtcDateTime, i.Version,
        Hours(i.WorkingHours), i.MaxInterviewsPerDay, i.BufferMinutes);

    private static Dictionary<string, TimeRangeDto[]>? Hours(WorkingHours? hours) => hours is null
        ? null
        : WireNames.Weekdays.Values.Where(hours.Days.ContainsKey).ToDictionary(
            WireNames.Weekdays.Name,
            d => hours.Days[d].Select(r => new TimeRangeDto(TimeRange.Format(r.StartMinute), TimeRange.Format(r.EndMinute))).ToArray());
}

/// <summary>The query of <c>GET /api/interviewers</c>: every member is optional.</summary>
/// <param name="Skill">Repeatable (<c>?skill=go&amp;skill=sql</c>): every one must match.</param>
/// <param name="Q">Words searched in name and email, each as a word prefix (case and accents ignored).</param>
/// <param name="Sort">One of <see cref="WireNames.InterviewerSorts"/>, optionally prefixed by <c>-</c> (descending);
/// without it, a search lists the best match first, and other lists sort by name.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page (instead of <c>offset</c>).</param>
public sealed record InterviewerListQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "offset")] int? Offset,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "skill")] string[]? Skill,
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "cursor")] string? Cursor = null);

/// <summary>The query of <c>GET /api/interviewers/{id}/availability</c>.</summary>
public sealed record AvailabilityQuery(
    [FromQuery(Name = "from")] Instant? From,
    [FromQuery(Name = "to")] Instant? To,
    [FromQuery(Name = "durationMinutes")] int? DurationMinutes);

public sealed record SlotResponse(DateTime StartsAt, DateTime EndsAt);

public sealed record AvailabilityResponse(IReadOnlyList<SlotResponse> Slots);

public sealed record ReservationResponse(string EventId, DateTime StartsAt, DateTime EndsAt);

public sealed record CalendarResponse(IReadOnlyList<ReservationResponse> Reservations);
