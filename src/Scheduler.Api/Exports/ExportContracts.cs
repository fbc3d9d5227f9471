using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Common;

namespace Scheduler.Api.Exports;

/// <summary>What every export takes besides its list's filters.</summary>
/// <param name="Format"><c>csv</c> (the default), <c>xlsx</c> or <c>pdf</c>.</param>
/// <param name="Timezone">The IANA zone the times are shown in (default <c>UTC</c>); the header row names it.</param>
public sealed record ExportOptions(
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "timezone")] string? Timezone);

/// <summary>The filters of <c>GET /api/events</c>, as an export takes them (the whole list: no paging).</summary>
/// <param name="Sort">As the list's; a search without it is exported by start time (best match does not page).</param>
public sealed record InterviewExportQuery(
    [FromQuery(Name = "interviewerId")] string? InterviewerId,
    [FromQuery(Name = "from")] Instant? From,
    [FromQuery(Name = "to")] Instant? To,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "candidateEmail")] string? CandidateEmail,
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "sort")] string? Sort)
{
    public IReadOnlyList<string> Filters() => ExportFilters.Of(
        ("interviewerId", InterviewerId), ("from", From?.Value.ToString("O")), ("to", To?.Value.ToString("O")), ("status", Status),
        ("candidateEmail", CandidateEmail), ("q", Q), ("sort", Sort));
}

/// <summary>The filters of <c>GET /api/interviewers</c>, as an export takes them.</summary>
public sealed record InterviewerExportQuery(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "skill")] string[]? Skill,
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "sort")] string? Sort)
{
    public IReadOnlyList<string> Filters() => ExportFilters.Of(
        ("status", Status), ("skill", Skill is { Length: > 0 } ? string.Join(" & ", Skill) : null), ("q", Q), ("sort", Sort));
}

/// <summary>The filters of <c>GET /api/audit-logs</c>, as an export takes them.</summary>
public sealed record AuditLogExportQuery(
    [FromQuery(Name = "entityType")] string? EntityType,
    [FromQuery(Name = "entityId")] string? EntityId,
    [FromQuery(Name = "actor")] string? Actor,
    [FromQuery(Name = "action")] string? Action,
    [FromQuery(Name = "from")] Instant? From,
    [FromQuery(Name = "to")] Instant? To)
{
    public IReadOnlyList<string> Filters() => ExportFilters.Of(
        ("entityType", EntityType), ("entityId", EntityId), ("actor", Actor), ("action", Action),
        ("from", From?.Value.ToString("O")), ("to", To?.Value.ToString("O")));
}

internal static class ExportFilters
{
    /// <summary>The filters given, as <c>name=value</c>, for the PDF's heading.</summary>
    public static IReadOnlyList<string> Of(params (string Name, string? Value)[] filters) =>
        [.. filters.Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => $"{f.Name}={f.Value}")];
}
