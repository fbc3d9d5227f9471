using Scheduler.Api.Common;
using Scheduler.Interviewers;

namespace Scheduler.Api.Interviewers;

/// <summary>Body of <c>POST</c> and <c>PUT /api/interviewers</c>. Only these fields are read (no id, version or dates).</summary>
public sealed record InterviewerRequest(string? Name, string? Email, string[]? Skills, string? Status, string? Timezone);

public sealed record InterviewerResponse(
    string Id,
    string Name,
    string Email,
    IReadOnlyList<string> Skills,
    string Status,
    string Timezone,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version)
{
    public static InterviewerResponse From(Interviewer i) => new(
        i.Id, i.Name, i.Email, i.Skills, StatusText(i.Status), i.Timezone, i.CreatedAt.UtcDateTime, i.UpdatedAt.UtcDateTime, i.Version);

    internal static string StatusText(InterviewerStatus status) => status == InterviewerStatus.Active ? "active" : "inactive";
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
        return validation.IsValid ? new InterviewerProfile(name!, email!, skills, status, timezone!) : null;
    }

    public static InterviewerStatus? Status(string field, string? value, RequestValidation validation)
    {
        switch (value)
        {
            case null:
                return null;
            case "active":
                return InterviewerStatus.Active;
            case "inactive":
                return InterviewerStatus.Inactive;
            default:
                validation.Add(field, $"'{field}' must be 'active' or 'inactive'.");
                return null;
        }
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
