namespace Scheduler.Interviewers;

public enum InterviewerStatus
{
    Active,
    Inactive,
}

/// <summary>A span of wall-clock time within one day, in minutes since midnight (end may be 1440 = 24:00).</summary>
[GenerateSerializer, Immutable]
public sealed record TimeRange(int StartMinute, int EndMinute)
{
    public const int EndOfDay = 24 * 60;

    /// <summary><c>HH:mm</c>; 1440 is <c>24:00</c>.</summary>
    public static string Format(int minute) => $"{minute / 60:00}:{minute % 60:00}";

    /// <summary>Reads <c>HH:mm</c> (00:00–23:59, or 24:00 when <paramref name="allowEndOfDay"/>).</summary>
    public static bool TryParse(string? text, bool allowEndOfDay, out int minute)
    {
        minute = -1;
        if (text is not { Length: 5 } || text[2] != ':' || !int.TryParse(text.AsSpan(0, 2), System.Globalization.NumberStyles.None, null, out var h)
            || !int.TryParse(text.AsSpan(3, 2), System.Globalization.NumberStyles.None, null, out var m) || m > 59)
        {
            return false;
        }
        if (h < 24 || (allowEndOfDay && h == 24 && m == 0))
        {
            minute = h * 60 + m;
            return true;
        }
        return false;
    }
}

/// <summary>
/// Working hours per weekday in the interviewer's time zone. A weekday with no entry is not a working day.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WorkingHours(IReadOnlyDictionary<DayOfWeek, IReadOnlyList<TimeRange>> Days);

/// <summary>The fields of an interviewer that a recruiter edits (a full replacement on update).</summary>
/// <param name="WorkingHours">Null: no restriction.</param>
/// <param name="MaxInterviewsPerDay">Null: no limit. Counted per local day in <paramref name="Timezone"/>.</param>
/// <param name="BufferMinutes">Minimum gap between two interviews.</param>
[GenerateSerializer, Immutable]
public sealed record InterviewerProfile(
    string Name,
    string Email,
    IReadOnlyList<string> Skills,
    InterviewerStatus Status,
    string Timezone,
    WorkingHours? WorkingHours = null,
    int? MaxInterviewsPerDay = null,
    int BufferMinutes = 0);

/// <summary>An interviewer as the grain holds it, at one version.</summary>
[GenerateSerializer, Immutable]
public sealed record Interviewer(
    string Id,
    string Name,
    string Email,
    IReadOnlyList<string> Skills,
    InterviewerStatus Status,
    string Timezone,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    WorkingHours? WorkingHours = null,
    int? MaxInterviewsPerDay = null,
    int BufferMinutes = 0);
