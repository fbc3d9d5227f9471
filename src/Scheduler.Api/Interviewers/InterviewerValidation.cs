using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Common;
using Scheduler.Interviewers;

namespace Scheduler.Api.Interviewers;

/// <summary>Reads the interviewer requests into what the grains take, or collects why not (a 400 validation problem).</summary>
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

    public static InterviewerQuery? ToQuery(InterviewerListQuery query, RequestValidation validation)
    {
        var (take, skip) = validation.Paging(query.Limit, query.Offset);
        var statusFilter = Status("status", query.Status, validation);
        var skills = (query.Skill ?? []).Select(s => s?.Trim() ?? "").ToArray();
        if (skills.Length > MaxSkills || skills.Any(s => s.Length is 0 or > MaxSkillLength))
        {
            validation.Add("skill", $"Give at most {MaxSkills} skills of 1 to {MaxSkillLength} characters.");
        }
        var text = validation.Optional("q", query.Q, 200);
        var (order, descending) = Sort(query.Sort, validation);
        var bestMatch = text is not null && string.IsNullOrEmpty(query.Sort);
        var orderName = bestMatch ? null : (descending ? "-" : "") + WireNames.InterviewerSorts.Name(order);
        var after = validation.Cursor(query.Cursor, orderName, query.Offset);
        return validation.IsValid ? new InterviewerQuery(statusFilter, skills, text, order, descending, take, skip, after, bestMatch) : null;
    }

    public const int MaxAvailabilityDays = 31;

    /// <summary>The window and length of free slots asked for: [from, to) in UTC and a duration.</summary>
    public static (DateTimeOffset From, DateTimeOffset To, TimeSpan Duration)? ToAvailability(AvailabilityQuery query, RequestValidation validation)
    {
        if (query.From is not { Value: var start } || query.To is not { Value: var end })
        {
            validation.Add(query.From is null ? "from" : "to", "'from' and 'to' are required (ISO 8601).");
            start = end = default;
        }
        else
        {
            // Both checked, so both are reported.
            var inRange = EventValidation.InCalendarRange("from", start, validation) & EventValidation.InCalendarRange("to", end, validation);
            if (inRange && (end <= start || end - start > TimeSpan.FromDays(MaxAvailabilityDays)))
            {
                validation.Add("to", $"'to' must be after 'from', at most {MaxAvailabilityDays} days later.");
            }
        }
        if (query.DurationMinutes is not { } minutes || minutes < 5 || minutes > 480)
        {
            validation.Add("durationMinutes", "'durationMinutes' must be between 5 and 480.");
        }
        return validation.IsValid ? (start.ToUniversalTime(), end.ToUniversalTime(), TimeSpan.FromMinutes(query.DurationMinutes!.Value)) : null;
    }

    private static (InterviewerSort Sort, bool Descending) Sort(string? sort, RequestValidation validation)
    {
        if (string.IsNullOrEmpty(sort))
        {
            return (InterviewerSort.Name, false);
        }
        var descending = sort.StartsWith('-');
        if (!WireNames.InterviewerSorts.TryParse(descending ? sort[1..] : sort, out var order))
        {
            validation.Add("sort", "'sort' must be one of name, email, createdAt, updatedAt, optionally prefixed by '-'.");
            return (InterviewerSort.Name, false);
        }
        return (order, descending);
    }
}
