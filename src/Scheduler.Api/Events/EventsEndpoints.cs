using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.OpenApi;
using Scheduler.Common;
using Scheduler.Events;

namespace Scheduler.Api.Events;

public static class EventsEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly string[] BookingConflicts =
        [EventCodes.SlotConflict, EventCodes.OutsideWorkingHours, EventCodes.DailyLimitReached, EventCodes.InterviewerInactive, EventCodes.CalendarBusy];

    public static RouteGroupBuilder MapEventsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events").WithTags("Events").RequireAuthorization(Policies.Authenticated)
            .RequireWellFormedId("Event")
            .CheckIfMatch(static async (grains, id) => (await grains.GetGrain<IInterviewEventGrain>(id).Get())?.Version);

        group.MapGet("/", List).WithName("ListEvents").WithSummary("List interviews (filter by interviewer, time, status, candidate)");
        group.MapGet("/{id}", Get).WithName("GetEvent").WithSummary("Get one interview").SendsETag();

        var talent = group.MapGroup("/").RequireAuthorization(Policies.Talent);
        talent.MapPost("/", Schedule).WithName("ScheduleEvent")
            .WithSummary("Book an interview into an interviewer's calendar (send Idempotency-Key to make retries safe)")
            .SendsETag().AcceptsIdempotencyKey().ChangesBooking()
            .Conflicts(BookingConflicts).Conflicts(EventCodes.IdempotencyKeyReused, EventCodes.EventDeleted);
        talent.MapPut("/{id}", Update).WithName("UpdateEvent").WithSummary("Edit or reschedule an interview")
            .SendsETag().AcceptsIfMatch().ChangesBooking().Conflicts(BookingConflicts).Conflicts(EventCodes.EventClosed);
        talent.MapPost("/{id}/cancel", Cancel).WithName("CancelEvent").WithSummary("Cancel an interview and free its slot")
            .SendsETag().AcceptsIfMatch().ChangesBooking().Conflicts(EventCodes.EventClosed);
        talent.MapPost("/{id}/complete", Complete).WithName("CompleteEvent").WithSummary("Mark an interview that has started as completed")
            .SendsETag().AcceptsIfMatch().Conflicts(EventCodes.EventClosed, EventCodes.NotStarted);

        var admin = group.MapGroup("/").RequireAuthorization(Policies.Admin);
        admin.MapDelete("/{id}", Delete).WithName("DeleteEvent").WithSummary("Delete an interview and free its slot")
            .AcceptsIfMatch().ChangesBooking();
        return group;
    }

    public static Task<Results<Ok<ListResponse<EventResponse>>, ValidationProblem, ProblemHttpResult>> List(
        IGrainFactory grains, HttpContext context, [FromQuery] string? interviewerId, [AsParameters] EventListQuery query)
    {
        if (!context.User.TryScopeInterviews(ref interviewerId))
        {
            return Task.FromResult<Results<Ok<ListResponse<EventResponse>>, ValidationProblem, ProblemHttpResult>>(
                Access.Forbidden("You can list only your own interviews."));
        }
        return Search(grains, interviewerId, query);
    }

    /// <summary>The list behind <c>/api/events</c> and <c>/api/interviewers/{id}/events</c>.</summary>
    public static async Task<Results<Ok<ListResponse<EventResponse>>, ValidationProblem, ProblemHttpResult>> Search(
        IGrainFactory grains, string? interviewerId, EventListQuery query)
    {
        var validation = new RequestValidation();
        if (EventValidation.ToQuery(interviewerId, query, validation) is not { } search)
        {
            return validation.Problem();
        }
        var page = await grains.GetGrain<IEventQueryGrain>(0).List(search);
        return TypedResults.Ok(ListResponse<EventResponse>.From(page, EventResponse.From));
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> Get(string id, IGrainFactory grains, HttpContext context)
    {
        // An event the user may not see answers as if it did not exist.
        if (await grains.GetGrain<IInterviewEventGrain>(id).Get() is not { } found || !context.User.CanSee(found))
        {
            return ApiProblems.NotFound("Event", id);
        }
        context.Response.SetETag(found.Version);
        return TypedResults.Ok(EventResponse.From(found));
    }

    public static async Task<Results<Created<EventResponse>, ValidationProblem>> Schedule(
        EventRequest request, IGrainFactory grains, HttpContext context, [FromQuery] bool? ignoreCalendarBusy)
    {
        var validation = new RequestValidation();
        var key = validation.Optional(IdempotencyKeyHeader, context.Request.Headers[IdempotencyKeyHeader].ToString(), 200);
        if (EventValidation.ToBooking(request, validation) is not { } booking)
        {
            return validation.Problem();
        }
        // A retried request with the same key (from the same user) lands on the same event grain, which answers
        // with the first result instead of booking twice.
        booking = booking with { IgnoreCalendarBusy = ignoreCalendarBusy == true };
        var id = key is null ? ResourceIds.New() : KeyedId(context.User.FindFirst("sub")?.Value ?? "", key);
        var grain = grains.GetGrain<IInterviewEventGrain>(id);
        InterviewEvent scheduled;
        // A keyed id is not fresh: it is the same for a retried request, whose first try may have stored the event.
        using (key is null ? FreshGrain.Announce(grain) : default)
        {
            scheduled = await grain.Schedule(booking);
        }
        context.Response.SetETag(scheduled.Version);
        return TypedResults.Created($"/api/events/{id}", EventResponse.From(scheduled));
    }

    public static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string id, EventRequest request, IGrainFactory grains, HttpContext context, [FromQuery] bool? ignoreCalendarBusy)
    {
        var validation = new RequestValidation();
        if (EventValidation.ToBooking(request, validation) is not { } booking)
        {
            return validation.Problem();
        }
        booking = booking with { IgnoreCalendarBusy = ignoreCalendarBusy == true };
        var updated = await grains.GetGrain<IInterviewEventGrain>(id).Update(booking, context.Request.ExpectedVersion());
        context.Response.SetETag(updated.Version);
        return TypedResults.Ok(EventResponse.From(updated));
    }

    public static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        string id, [FromBody] CancelEventRequest? request, IGrainFactory grains, HttpContext context)
    {
        var validation = new RequestValidation();
        var reason = validation.Optional("reason", request?.Reason, 1000);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var cancelled = await grains.GetGrain<IInterviewEventGrain>(id).Cancel(reason, context.Request.ExpectedVersion());
        context.Response.SetETag(cancelled.Version);
        return TypedResults.Ok(EventResponse.From(cancelled));
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> Complete(string id, IGrainFactory grains, HttpContext context)
    {
        var completed = await grains.GetGrain<IInterviewEventGrain>(id).Complete(context.Request.ExpectedVersion());
        context.Response.SetETag(completed.Version);
        return TypedResults.Ok(EventResponse.From(completed));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, IGrainFactory grains, HttpRequest request)
    {
        await grains.GetGrain<IInterviewEventGrain>(id).Delete(request.ExpectedVersion());
        return TypedResults.NoContent();
    }

    private static string KeyedId(string userId, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\n{key}")).AsSpan(0, 16));
}
