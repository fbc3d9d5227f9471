using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.OpenApi;
using Scheduler.Notifications;

namespace Scheduler.Api.Notifications;

public static class NotificationsEndpoints
{
    public static RouteGroupBuilder MapNotificationsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(Policies.Admin).RequireWellFormedId("Notification");
        group.MapGet("/", List).WithName("ListNotifications").WithSummary("List email notifications, newest first");
        group.MapPost("/{id}/retry", Retry).WithName("RetryNotification").WithSummary("Queue a failed or dead notification again, now")
            .Conflicts("notification_not_failed");
        return group;
    }

    public static async Task<Results<Ok<ListResponse<NotificationResponse>>, ValidationProblem>> List(
        IGrainFactory grains, [AsParameters] NotificationListQuery query)
    {
        var validation = new RequestValidation();
        var (take, skip) = validation.Paging(query.Limit, query.Offset);
        var search = new NotificationQuery(
            validation.OneOf("status", query.Status, NotificationStatuses.All),
            validation.Optional("eventId", query.EventId, 64),
            validation.Optional("recipient", query.Recipient, 254),
            take,
            skip);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var page = await grains.GetGrain<INotificationsGrain>(0).List(search);
        return TypedResults.Ok(ListResponse<NotificationResponse>.From(page, NotificationResponse.From));
    }

    public static async Task<Ok<NotificationResponse>> Retry(IGrainFactory grains, string id) =>
        TypedResults.Ok(NotificationResponse.From(await grains.GetGrain<INotificationsGrain>(0).Retry(id)));
}
