using Scheduler.Common;

namespace Scheduler.Interviewers;

public enum InterviewerSort
{
    Name,
    Email,
    CreatedAt,
    UpdatedAt,
}

/// <param name="Skills">Every one must match, case-insensitively.</param>
/// <param name="Text">Case-insensitive substring of name or email.</param>
[GenerateSerializer, Immutable]
public sealed record InterviewerQuery(
    InterviewerStatus? Status,
    IReadOnlyList<string> Skills,
    string? Text,
    InterviewerSort Sort,
    bool Descending,
    int Limit,
    int Offset);

/// <summary>Lists interviewers from the read model (never by scanning grains). Use key 0.</summary>
public interface IInterviewerQueryGrain : IGrainWithIntegerKey
{
    Task<Page<Interviewer>> List(InterviewerQuery query);
}
