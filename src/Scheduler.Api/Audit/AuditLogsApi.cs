using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Authorization;
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

public static class AuditLogsApi
{
    public static RouteGroupBuilder MapAuditLogsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/audit-logs").WithTags("Audit").RequireAuthorization(Policies.Admin);
        group.MapGet("/", Search).WithName("SearchAuditLogs").WithSummary("Search the audit trail, newest first")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }

    public static async Task<Results<Ok<ListResponse<AuditLogResponse>>, ValidationProblem>> Search(
        IGrainFactory grains,
        [FromQuery] string? entityType,
        [FromQuery] string? entityId,
        [FromQuery] string? actor,
        [FromQuery] string? action,
        [FromQuery] Instant? from,
        [FromQuery] Instant? to,
        [FromQuery] int? limit,
        [FromQuery] int? offset)
    {
        var validation = new RequestValidation();
        var (take, skip) = validation.Paging(limit, offset);
        var query = new AuditQuery(
            validation.OneOf("entityType", entityType, AuditEntityTypes.All),
            validation.Optional("entityId", entityId, 64),
            validation.Optional("actor", actor, 254),
            validation.OneOf("action", action, AuditActions.All),
            from,
            to,
            take,
            skip);
        if (from?.Value > to?.Value)
        {
            validation.Add("from", "'from' must not be after 'to'.");
        }
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var page = await grains.GetGrain<IAuditLogQueryGrain>(0).Search(query);
        return TypedResults.Ok(ListResponse<AuditLogResponse>.From(page, AuditLogResponse.From));
    }
}
