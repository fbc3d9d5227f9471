using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Audit;

namespace Scheduler.Api.Audit;

public static class AuditLogsEndpoints
{
    public static RouteGroupBuilder MapAuditLogsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/audit-logs").WithTags("Audit").RequireAuthorization(Policies.Admin);
        group.MapGet("/", Search).WithName("SearchAuditLogs").WithSummary("Search the audit trail, newest first");
        return group;
    }

    public static async Task<Results<Ok<ListResponse<AuditLogResponse>>, ValidationProblem>> Search(
        IGrainFactory grains, [AsParameters] AuditLogListQuery query)
    {
        var validation = new RequestValidation();
        if (ToQuery(query, validation) is not { } search)
        {
            return validation.Problem();
        }
        var page = await grains.GetGrain<IAuditLogQueryGrain>(0).Search(search);
        return TypedResults.Ok(ListResponse<AuditLogResponse>.From(page, AuditLogResponse.From));
    }

    /// <summary>The search behind <c>/api/audit-logs</c> (and its export), or null with the errors in <paramref name="validation"/>.</summary>
    internal static AuditQuery? ToQuery(AuditLogListQuery query, RequestValidation validation)
    {
        var (take, skip) = validation.Paging(query.Limit, query.Offset);
        var search = new AuditQuery(
            validation.OneOf("entityType", query.EntityType, AuditEntityTypes.All),
            validation.Optional("entityId", query.EntityId, 64),
            validation.Optional("actor", query.Actor, 254),
            validation.OneOf("action", query.Action, AuditActions.All),
            query.From,
            query.To,
            take,
            skip);
        if (query.From?.Value > query.To?.Value)
        {
            validation.Add("from", "'from' must not be after 'to'.");
        }
        return validation.IsValid ? search : null;
    }
}
