using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Common;
using Scheduler.Events;

namespace Scheduler.Api.Events;

public static class EventsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events").WithTags("Events").RequireAuthorization(Policies.Authenticated);

        group.MapGet("/", List).WithName("ListEvents").WithSummary("List interviews (filter by interviewer, time, status, candidate)");
        group.MapGet("/{id}", Get).WithName("GetEvent").WithSummary("Get one interview");

        var talent = group.MapGroup("/").RequireAuthorization(Policies.Talent);
        talent.MapPost("/", Schedule).WithName("ScheduleEvent")
            .WithSummary("Book an interview into an interviewer's calendar (send Idempotency-Key to make retries safe)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        talent.MapPut("/{id}", Update).WithName("UpdateEvent").WithSummary("Edit or reschedule an interview")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        talent.MapPost("/{id}/cancel", Cancel).WithName("CancelEvent").WithSummary("Cancel an interview and free its slot")
            .ProducesProblem(StatusCodes.Status409Conflict);
        talent.MapPost("/{id}/complete", Complete).WithName("CompleteEvent").WithSummary("Mark an interview that has started as completed")
            .ProducesProblem(StatusCodes.Status409Conflict);

        var admin = group.MapGroup("/").RequireAuthorization(Policies.Admin);
        admin.MapDelete("/{id}", Delete).WithName("DeleteEvent").WithSummary("Delete an interview and free its slot");

        group.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }

    public static Task<Results<Ok<ListResponse<EventResponse>>, ValidationProblem, ProblemHttpResult>> List(
        IGrainFactory grains,
        HttpContext context,
        [FromQuery] string? interviewerId,
        [FromQuery] Instant? from,
        [FromQuery] Instant? to,
        [FromQuery] string? status,
        [FromQuery] string? candidateEmail,
        [FromQuery] string? q,
        [FromQuery] int? limit,
        [FromQuery] int? offset,
        [FromQuery] string? sort)
    {
        if (!context.User.IsStaff())
        {
            // An interviewer lists only its own interviews.
            var own = context.User.OwnInterviewerId();
            if (own is null || (interviewerId is not null && interviewerId != own))
            {
                return Task.FromResult<Results<Ok<ListResponse<EventResponse>>, ValidationProblem, ProblemHttpResult>>(
                    Access.Forbidden("You can list only your own interviews."));
            }
            interviewerId = own;
        }
        return Search(grains, interviewerId, from, to, status, candidateEmail, q, limit, offset, sort);
    }

    /// <summary>The list behind <c>/api/events</c> and <c>/api/interviewers/{id}/events</c>.</summary>
    public static async Task<Results<Ok<ListResponse<EventResponse>>, ValidationProblem, ProblemHttpResult>> Search(
        IGrainFactory grains, string? interviewerId, DateTimeOffset? from, DateTimeOffset? to, string? status, string? candidateEmail,
        string? q, int? limit, int? offset, string? sort)
    {
        var validation = new RequestValidation();
        var (take, skip) = validation.Paging(limit, offset);
        var text = validation.Optional("q", q, 200);
        if (interviewerId is not null && !ResourceIds.IsWellFormed(interviewerId))
        {
            validation.Add("interviewerId", "'interviewerId' is not an interviewer id.");
        }
        if (from > to)
        {
            validation.Add("from", "'from' must not be after 'to'.");
        }
        EventStatus? statusFilter = status is null ? null
            : WireNames.EventStatuses.TryParse(status, out var parsed) ? parsed
            : Invalid<EventStatus>(validation, "status", "'status' must be scheduled, cancelled or completed.");
        var email = candidateEmail is null ? null : validation.Email("candidateEmail", candidateEmail);
        var descending = sort?.StartsWith('-') == true;
        var key = descending ? sort![1..] : sort;
        var order = key is null ? EventSort.StartsAt
            : WireNames.EventSorts.TryParse(key, out var sortKey) ? sortKey
            : Invalid<EventSort>(validation, "sort", "'sort' must be startsAt, createdAt or updatedAt, optionally prefixed by '-'.") ?? EventSort.StartsAt;
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var page = await grains.GetGrain<IEventQueryGrain>(0)
            .List(new EventQuery(interviewerId, from, to, statusFilter, email, order, descending, take, skip, text));
        return TypedResults.Ok(ListResponse<EventResponse>.From(page, EventResponse.From));
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> Get(string id, IGrainFactory grains, HttpContext context)
    {
        // An event the user may not see answers as if it did not exist.
        if (!ResourceIds.IsWellFormed(id) || await grains.GetGrain<IInterviewEventGrain>(id).Get() is not { } found || !context.User.CanSee(found))
        {
            return ApiProblems.NotFound("Event", id);
        }
        context.Response.SetETag(found.Version);
        return TypedResults.Ok(EventResponse.From(found));
    }

    public static async Task<Results<Created<EventResponse>, ValidationProblem>> Schedule(
        EventRequest request, IGrainFactory grains, HttpContext context)
    {
        var validation = new RequestValidation();
        var key = validation.Optional(IdempotencyKeyHeader, context.Request.Headers[IdempotencyKeyHeader].ToString(), 200);
        if (EventValidation.ToBooking(request, validation) is not { } booking)
        {
            return validation.Problem();
        }
        // A retried request with the same key (from the same user) lands on the same event grain, which answers
        // with the first result instead of booking twice.
        var id = key is null ? ResourceIds.New() : KeyedId(context.User.FindFirst("sub")?.Value ?? "", key);
        var scheduled = await grains.GetGrain<IInterviewEventGrain>(id).Schedule(booking);
        context.Response.SetETag(scheduled.Version);
        return TypedResults.Created($"/api/events/{id}", EventResponse.From(scheduled));
    }

    public static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string id, EventRequest request, IGrainFactory grains, HttpContext context)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("Event", id);
        }
        var validation = new RequestValidation();
        if (EventValidation.ToBooking(request, validation) is not { } booking)
        {
            return validation.Problem();
        }
        var updated = await grains.GetGrain<IInterviewEventGrain>(id).Update(booking, context.Request.ExpectedVersion());
        context.Response.SetETag(updated.Version);
        return TypedResults.Ok(EventResponse.From(updated));
    }

    public static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        string id, [FromBody] CancelEventRequest? request, IGrainFactory grains, HttpContext context)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("Event", id);
        }
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
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("Event", id);
        }
        var completed = await grains.GetGrain<IInterviewEventGrain>(id).Complete(context.Request.ExpectedVersion());
        context.Response.SetETag(completed.Version);
        return TypedResults.Ok(EventResponse.From(completed));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, IGrainFactory grains, HttpRequest request)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("Event", id);
        }
        await grains.GetGrain<IInterviewEventGrain>(id).Delete(request.ExpectedVersion());
        return TypedResults.NoContent();
    }

    private static string KeyedId(string userId, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\n{key}")).AsSpan(0, 16));

    private static T? Invalid<T>(RequestValidation validation, string field, string message) where T : struct
    {
        validation.Add(field, message);
        return null;
    }
}
