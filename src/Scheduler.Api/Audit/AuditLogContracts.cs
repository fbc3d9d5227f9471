using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Common;
using Scheduler.Audit;

namespace Scheduler.Api.Audit;

public sealed record AuditLogResponse(
    string Id,
    string EntityType,
    string EntityId,
    long EntityVersion,
    string Action,
    string Actor,
    string ActorId,
    DateTime Timestamp,
    JsonElement Changes)
{
    public static AuditLogResponse From(AuditEntry e)
    {
        using var changes = JsonDocument.Parse(e.ChangesJson);
        return new(e.Id, e.EntityType, e.EntityId, e.EntityVersion, e.Action, e.Actor, e.ActorId, e.Timestamp.UtcDateTime, changes.RootElement.Clone());
    }
}

/// <summary>The query of <c>GET /api/audit-logs</c>: every member is optional.</summary>
/// <param name="EntityType">One of <see cref="AuditEntityTypes.All"/>.</param>
/// <param name="Action">One of <see cref="AuditActions.All"/>.</param>
/// <param name="Actor">The acting user's email.</param>
public sealed record AuditLogListQuery(
    [FromQuery(Name = "entityType")] string? EntityType,
    [FromQuery(Name = "entityId")] string? EntityId,
    [FromQuery(Name = "actor")] string? Actor,
    [FromQuery(Name = "action")] string? Action,
    [FromQuery(Name = "from")] Instant? From,
    [FromQuery(Name = "to")] Instant? To,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "offset")] int? Offset);
