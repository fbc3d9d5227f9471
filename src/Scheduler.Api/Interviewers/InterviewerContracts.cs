using Scheduler.Api.Common;
using Scheduler.Common;
using Scheduler.Interviewers;

namespace Scheduler.Api.Interviewers;

/// <summary>Body of <c>POST</c> and <c>PUT /api/interviewers</c>. Only these fields are read (no id, version or dates).</summary>
public sealed record InterviewerRequest(
    string? Name,
    string? Email,
    string[]? Skills,
    string? Status,
    string? Timezone,
    Dictionary<string, TimeRangeDto[]?>? WorkingHours = null,
    int? MaxInterviewsPerDay = null,
    int? BufferMinutes = null);

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

internal static class InterviewerValidation
{
    public const int MaxName = 200;
    public const int MaxSkills = 50;
    public const int MaxSkillLength = 50;

    public static InterviewerProfile? ToProfile(InterviewerRequest request, RequestValidation validation)
    {
        var name = validation.Required("name", request.Name, MaxName);
        var email = validation.Email("email", request.Email);
        var skills = Skills(request.Skills, validation);
        var status = Status("status", request.Status, validation) ?? InterviewerStatus.Active;
        var timezone = validation.TimeZone("timezone", request.Timezone, "UTC");
        var hours = WorkingHours(request.WorkingHours, validation);
        if (request.MaxInterviewsPerDay is < 1 or > 50)
        {
            validation.Add("maxInterviewsPerDay", "'maxInterviewsPerDay' must be between 1 and 50, or null for no limit.");
        }
        if (request.BufferMinutes is < 0 or > 120)
        {
            validation.Add("bufferMinutes", "'bufferMinutes' must be between 0 and 120.");
        }
        return validation.IsValid
            ? new InterviewerProfile(name!, email!, skills, status, timezone!, hours, request.MaxInterviewsPerDay, request.BufferMinutes ?? 0)
            : null;
    }

    public const int MaxRangesPerDay = 12;

    private static WorkingHours? WorkingHours(Dictionary<string, TimeRangeDto[]?>? days, RequestValidation validation)
    {
        if (days is null)
        {
            return null;
        }
        var result = new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>();
        foreach (var (name, ranges) in days)
        {
            var field = $"workingHours.{name}";
            if (!WireNames.Weekdays.TryParse(name, out var day))
            {
                validation.Add(field, "Working hours are keyed by lowercase English weekday (monday … sunday).");
                continue;
            }
            if (ranges is null || ranges.Length > MaxRangesPerDay)
            {
                validation.Add(field, $"Give a list of at most {MaxRangesPerDay} ranges (omit the day when not working).");
                continue;
            }
            var parsed = new List<TimeRange>(ranges.Length);
            foreach (var range in ranges)
            {
                if (range is null || !TimeRange.TryParse(range.Start, false, out var start) || !TimeRange.TryParse(range.End, true, out var end))
                {
                    validation.Add(field, "Each range needs 'start' and 'end' as HH:mm (end may be 24:00).");
                    break;
                }
                if (start >= end)
                {
                    validation.Add(field, "Each range must start before it ends.");
                    break;
                }
                parsed.Add(new TimeRange(start, end));
            }
            parsed.Sort((a, b) => a.StartMinute.CompareTo(b.StartMinute));
            if (parsed.Zip(parsed.Skip(1)).Any(pair => pair.Second.StartMinute < pair.First.EndMinute))
            {
                validation.Add(field, "Ranges of one day must not overlap.");
            }
            result[day] = parsed;
        }
        return new WorkingHours(result);
    }

    public static InterviewerStatus? Status(string field, string? value, RequestValidation validation)
    {
        if (value is null)
        {
            return null;
        }
        if (WireNames.InterviewerStatuses.TryParse(value, out var status))
        {
            return status;
        }
        validation.Add(field, $"'{field}' must be 'active' or 'inactive'.");
        return null;
    }

    private static string[] Skills(string[]? skills, RequestValidation validation)
    {
        if (skills is null)
        {
            return [];
        }
        if (skills.Length > MaxSkills)
        {
            validation.Add("skills", $"At most {MaxSkills} skills are allowed.");
            return [];
        }
        var result = new List<string>(skills.Length);
        foreach (var raw in skills)
        {
            var skill = raw?.Trim();
            if (string.IsNullOrEmpty(skill) || skill.Length > MaxSkillLength)
            {
                validation.Add("skills", $"Each skill must be 1 to {MaxSkillLength} characters.");
                return [];
            }
            if (!result.Contains(skill, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(skill);
            }
        }
        return [.. result];
    }
}
