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
/// <param name="Text">Words that each begin a word of the name or email (case and accents ignored).</param>
/// <param name="After">Where the previous page ended (cursor paging); the offset is then 0.</param>
/// <param name="BestMatch">Order by how well <paramref name="Text"/> matches (no cursor), not by <paramref name="Sort"/>.</param>
[GenerateSerializer, Immutable]
public sealed record InterviewerQuery(
    InterviewerStatus? Status,
    IReadOnlyList<string> Skills,
    string? Text,
    InterviewerSort Sort,
    bool Descending,
    int Limit,
    int Offset,
    PageCursor? After = null,
    bool BestMatch = false);

/// <summary>Lists interviewers from the read model (never by scanning grains). Use key 0.</summary>
public interface IInterviewerQueryGrain : IGrainWithIntegerKey
{
    Task<Page<Interviewer>> List(InterviewerQuery query);
}
