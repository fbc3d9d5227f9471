using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.OpenApi;
using Scheduler.Calendars;
using Scheduler.Common;
using Scheduler.Interviewers;

namespace Scheduler.Api.Calendars;

/// <summary>An interviewer's linked external calendars: admin, talent, or the interviewer's own user.</summary>
public static class LinkedCalendarsEndpoints
{
    public static RouteGroupBuilder MapLinkedCalendarsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/interviewers/{id}/calendars").WithTags("Linked calendars")
            .RequireAuthorization(Policies.Authenticated).RequireWellFormedId("Interviewer");
        group.MapGet("/", List).WithName("ListLinkedCalendars").WithSummary("The interviewer's linked calendars and how their sync goes");
        group.MapPost("/", Link).WithName("LinkCalendar")
            .WithSummary("Link an ICS subscription or a CalDAV calendar whose busy time blocks availability").SendsETag();
        group.MapGet("/{calendarId}", Get).WithName("GetLinkedCalendar").WithSummary("One linked calendar").SendsETag();
        group.MapDelete("/{calendarId}", Unlink).WithName("UnlinkCalendar").WithSummary("Unlink a calendar and drop its busy time")
            .AcceptsIfMatch();
        group.MapPost("/{calendarId}/sync", Sync).WithName("SyncLinkedCalendar").WithSummary("Sync a linked calendar now");
        return group;
    }

    public static async Task<Results<Ok<LinkedCalendarListResponse>, ProblemHttpResult>> List(
        string id, IGrainFactory grains, HttpContext context, TimeProvider time)
    {
        if (await Refusal(id, grains, context) is { } refused)
        {
            return refused;
        }
        var calendars = await grains.GetGrain<ILinkedCalendarsGrain>(id).List();
        var now = time.GetUtcNow();
        return TypedResults.Ok(new LinkedCalendarListResponse([.. calendars.Select(c => LinkedCalendarResponse.From(c, now))]));
    }

    public static async Task<Results<Ok<LinkedCalendarResponse>, ProblemHttpResult>> Get(
        string id, string calendarId, IGrainFactory grains, HttpContext context, TimeProvider time)
    {
        if (await Refusal(id, grains, context) is { } refused)
        {
            return refused;
        }
        var calendar = (await grains.GetGrain<ILinkedCalendarsGrain>(id).List()).FirstOrDefault(c => c.Id == calendarId);
        if (calendar is null)
        {
            return ApiProblems.NotFound("Linked calendar", calendarId);
        }
        context.Response.SetETag(LinkVersion);
        return TypedResults.Ok(LinkedCalendarResponse.From(calendar, time.GetUtcNow()));
    }

    public static async Task<Results<Created<LinkedCalendarResponse>, ValidationProblem, ProblemHttpResult>> Link(
        string id, LinkCalendarRequest request, IGrainFactory grains, HttpContext context, TimeProvider time)
    {
        if (await Refusal(id, grains, context) is { } refused)
        {
            return refused;
        }
        var validation = new RequestValidation();
        if (LinkedCalendarValidation.ToCommand(request, validation) is not { } command)
        {
            return validation.Problem();
        }
        var linked = await grains.GetGrain<ILinkedCalendarsGrain>(id).Link(command);
        context.Response.SetETag(LinkVersion);
        return TypedResults.Created($"/api/interviewers/{id}/calendars/{linked.Id}", LinkedCalendarResponse.From(linked, time.GetUtcNow()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unlink(string id, string calendarId, IGrainFactory grains, HttpContext context)
    {
        if (await Refusal(id, grains, context) is { } refused)
        {
            return refused;
        }
        if (context.Request.ExpectedVersion() is { } expected && expected != LinkVersion)
        {
            throw new VersionMismatchException(expected, LinkVersion);
        }
        return ResourceIds.IsWellFormed(calendarId) && await grains.GetGrain<ILinkedCalendarsGrain>(id).Unlink(calendarId)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("Linked calendar", calendarId);
    }

    public static async Task<Results<Ok<LinkedCalendarResponse>, ProblemHttpResult>> Sync(
        string id, string calendarId, IGrainFactory grains, HttpContext context, TimeProvider time)
    {
        if (await Refusal(id, grains, context) is { } refused)
        {
            return refused;
        }
        var synced = ResourceIds.IsWellFormed(calendarId) ? await grains.GetGrain<ILinkedCalendarsGrain>(id).SyncNow(calendarId) : null;
        return synced is null ? ApiProblems.NotFound("Linked calendar", calendarId) : TypedResults.Ok(LinkedCalendarResponse.From(synced, time.GetUtcNow()));
    }

    // A link is never edited (unlink and link again): its settings stay at their first version.
    private const long LinkVersion = 1;

    private static async Task<ProblemHttpResult?> Refusal(string id, IGrainFactory grains, HttpContext context)
    {
        if (await grains.GetGrain<IInterviewerGrain>(id).Get() is null)
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        return context.User.CanEditProfile(id) ? null : Access.Forbidden("You can manage only your own linked calendars.");
    }
}
