namespace Scheduler.Interviewers;

public enum InterviewerStatus
{
    Active,
    Inactive,
}

/// <summary>The fields of an interviewer that a recruiter edits (a full replacement on update).</summary>
[GenerateSerializer, Immutable]
public sealed record InterviewerProfile(
    string Name,
    string Email,
    IReadOnlyList<string> Skills,
    InterviewerStatus Status,
    string Timezone);

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
    long Version);
