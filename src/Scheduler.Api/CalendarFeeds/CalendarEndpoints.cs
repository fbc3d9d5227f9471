using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.OpenApi;
using Scheduler.CalendarFeeds;
using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Api.CalendarFeeds;

/// <summary>
/// Interviews in calendar apps: each interviewer's feed (RFC 5545), read anonymously with the secret in its URL the way
/// calendar apps subscribe, its address and rotation for those who may see the interviewer's schedule, and one
/// interview as a file.
/// </summary>
public static class CalendarEndpoints
{
    private const string CalendarType = "text/calendar";
    private const string Tag = "Calendar";

    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder routes)
    {
        // Anonymous: rate-limited per client address like every anonymous request.
        routes.MapGet("/calendar/{token}.ics", Feed).AllowAnonymous().WithTags(Tag).WithName("GetCalendarFeed")
            .WithSummary("An interviewer's interviews as an iCalendar feed (the secret in the URL is the credential)")
            .Produces<string>(StatusCodes.Status200OK, CalendarType).Revalidates();

        var feeds = routes.MapGroup("/api/interviewers/{id}/calendar-feed").WithTags(Tag).RequireAuthorization(Policies.Authenticated)
            .RequireWellFormedId("Interviewer");
        feeds.MapGet("/", FeedAddress).WithName("GetCalendarFeedUrl").WithSummary("The address of the interviewer's calendar feed");
        feeds.MapPost("/rotate", Rotate).WithName("RotateCalendarFeed")
            .WithSummary("Issue a new calendar feed address; the old one answers 404 from now on");

        routes.MapGroup("/api/events").WithTags(Tag).RequireAuthorization(Policies.Authenticated).RequireWellFormedId("Event")
            .MapGet("/{id}/ics", Single).WithName("GetEventIcs").WithSummary("One interview as an iCalendar file")
            .Produces<string>(StatusCodes.Status200OK, CalendarType).SendsETag();
        return routes;
    }

    public static async Task<Results<ContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> Feed(
        string token, IGrainFactory grains, HttpContext context)
    {
        if (await grains.GetGrain<ICalendarFeedQueryGrain>(0).Feed(token) is not { } feed)
        {
            // The token is not echoed: it may be a real one that was rotated away.
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: "No calendar feed has this address (it may have been rotated).",
                extensions: new Dictionary<string, object?> { ["code"] = "not_found" });
        }
        context.Response.Headers.ETag = feed.ETag;
        // The address is a credential: shared caches keep nothing, the app revalidates with If-None-Match.
        context.Response.Headers.CacheControl = "private, no-cache";
        return Matches(context.Request, feed.ETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Text(feed.Content, $"{CalendarType}; charset=utf-8");
    }

    public static async Task<Results<Ok<CalendarFeedResponse>, ProblemHttpResult>> FeedAddress(string id, IGrainFactory grains, HttpContext context)
    {
        if (await Refusal(id, grains, context) is { } refusal)
        {
            return refusal;
        }
        return TypedResults.Ok(Address(context, await grains.GetGrain<IInterviewerGrain>(id).CalendarFeed()));
    }

    public static async Task<Results<Ok<CalendarFeedResponse>, ProblemHttpResult>> Rotate(string id, IGrainFactory grains, HttpContext context)
    {
        if (await Refusal(id, grains, context) is { } refusal)
        {
            return refusal;
        }
        return TypedResults.Ok(Address(context, await grains.GetGrain<IInterviewerGrain>(id).RotateCalendarFeed()));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Single(string id, IGrainFactory grains, HttpContext context)
    {
        // The access of GET /api/events/{id}: an interview the user may not see answers as if it did not exist.
        if (await grains.GetGrain<IInterviewEventGrain>(id).Get() is not { } found || !context.User.CanSee(found))
        {
            return ApiProblems.NotFound("Event", id);
        }
        var file = await grains.GetGrain<ICalendarFeedQueryGrain>(0).Single(found);
        context.Response.SetETag(found.Version);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"interview-{id}.ics\"";
        return TypedResults.Text(file.Content, $"{CalendarType}; charset=utf-8");
    }

    private static async Task<ProblemHttpResult?> Refusal(string id, IGrainFactory grains, HttpContext context)
    {
        if (await grains.GetGrain<IInterviewerGrain>(id).Get() is null)
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        return context.User.CanSeeSchedule(id) ? null : Access.Forbidden("You can see only your own calendar feed.");
    }

    private static CalendarFeedResponse Address(HttpContext context, CalendarFeedKey key)
    {
        // CalendarFeed:BaseUrl names the public address behind a proxy; otherwise the address this request came to.
        var configured = context.RequestServices.GetRequiredService<IConfiguration>()["CalendarFeed:BaseUrl"];
        var request = context.Request;
        var origin = string.IsNullOrEmpty(configured) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : configured.TrimEnd('/');
        return new CalendarFeedResponse($"{origin}/calendar/{key.Token}.ics", key.IssuedAt.UtcDateTime);
    }

    private static bool Matches(HttpRequest request, string etag) =>
        request.Headers.IfNoneMatch.Count > 0
        && EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
}
