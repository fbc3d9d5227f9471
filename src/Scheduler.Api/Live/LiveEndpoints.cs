using System.Globalization;
using System.Net.ServerSentEvents;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;

namespace Scheduler.Api.Live;

public static class LiveEndpoints
{
    public static IServiceCollection AddSchedulerLive(this IServiceCollection services)
    {
        services.AddSingleton<LiveStream>();
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default));
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<HubLifetimeManager<SchedulerHub>>(sp => sp.GetRequiredService<LiveConnections>());
        return services;
    }

    /// <summary>The live-update hub (SignalR) and the same changes as Server-Sent Events, for any signed-in user.</summary>
    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder routes)
    {
        routes.MapHub<SchedulerHub>(SchedulerHub.Path).RequireAuthorization(Policies.Authenticated);
        var group = routes.MapGroup("/api/stream").WithTags("Live").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/", Stream).WithName("StreamChanges")
            .WithSummary("Follow the changes you may read, as Server-Sent Events (resume with Last-Event-ID)");
        return routes;
    }

    /// <summary>
    /// <c>changed</c> events (and <c>resync</c> when what changed since <c>Last-Event-ID</c> cannot be replayed), each
    /// with its position as the event id, until the client leaves or its session ends.
    /// </summary>
    public static Results<ServerSentEventsResult<LiveMessage>, ValidationProblem> Stream(
        LiveStream stream, ClaimsPrincipal user, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, CancellationToken cancellation)
    {
        long? after = null;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["Last-Event-ID"] = ["Must be the id of an event this stream sent (a position, 0 or more)."],
                });
            }
            after = position;
        }
        return TypedResults.ServerSentEvents(Items(stream.Follow(user, after, cancellation)));
    }

    private static async IAsyncEnumerable<SseItem<LiveMessage>> Items(IAsyncEnumerable<LiveMessage> messages)
    {
        await foreach (var message in messages)
        {
            yield return new SseItem<LiveMessage>(message, message.Type) { EventId = message.Position.ToString(CultureInfo.InvariantCulture) };
        }
    }
}
