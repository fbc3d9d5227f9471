using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Common;
using Scheduler.Interviewers;

namespace Scheduler.Api.Interviewers;

public static class InterviewersApi
{
    public static RouteGroupBuilder MapInterviewersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/interviewers").WithTags("Interviewers").RequireAuthorization(Policies.Authenticated);

        group.MapGet("/", List).WithName("ListInterviewers").WithSummary("List interviewers (filter, search, sort, page)");
        group.MapGet("/{id}", Get).WithName("GetInterviewer").WithSummary("Get one interviewer");
        group.MapGet("/{id}/events", Events).WithName("ListInterviewerEvents").WithSummary("List one interviewer's interviews");
        group.MapGet("/{id}/calendar", Calendar).WithName("GetInterviewerCalendar")
            .WithSummary("The interviewer's reservations (busy times), one per booked interview");
        group.MapGet("/{id}/availability", Availability).WithName("GetInterviewerAvailability")
            .WithSummary("Free slots of a given length (15-minute grid, working hours, buffers, daily limit, bookings)");

        var talent = group.MapGroup("/").RequireAuthorization(Policies.Talent);
        talent.MapPost("/", Create).WithName("CreateInterviewer").WithSummary("Add an interviewer to the roster")
            .ProducesProblem(StatusCodes.Status409Conflict);
        // Recruiters edit any profile; an interviewer its own (object-level rule in Access).
        group.MapPut("/{id}", Update).WithName("UpdateInterviewer").WithSummary("Replace an interviewer's editable fields")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        var admin = group.MapGroup("/").RequireAuthorization(Policies.Admin);
        admin.MapDelete("/{id}", Delete).WithName("DeleteInterviewer").WithSummary("Remove an interviewer")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }

    public static async Task<Results<Ok<ListResponse<InterviewerResponse>>, ValidationProblem>> List(
        IGrainFactory grains,
        [FromQuery] int? limit,
        [FromQuery] int? offset,
        [FromQuery] string? status,
        [FromQuery] string[]? skill,
        [FromQuery] string? q,
        [FromQuery] string? sort)
    {
        var validation = new RequestValidation();
        var (take, skip) = validation.Paging(limit, offset);
        var statusFilter = InterviewerValidation.Status("status", status, validation);
        var skills = (skill ?? []).Select(s => s?.Trim() ?? "").ToArray();
        if (skills.Length > InterviewerValidation.MaxSkills || skills.Any(s => s.Length is 0 or > InterviewerValidation.MaxSkillLength))
        {
            validation.Add("skill", $"Give at most {InterviewerValidation.MaxSkills} skills of 1 to {InterviewerValidation.MaxSkillLength} characters.");
        }
        var text = validation.Optional("q", q, 200);
        var (order, descending) = Sort(sort, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var page = await grains.GetGrain<IInterviewerQueryGrain>(0)
            .List(new InterviewerQuery(statusFilter, skills, text, order, descending, take, skip));
        return TypedResults.Ok(ListResponse<InterviewerResponse>.From(page, InterviewerResponse.From));
    }

    public static async Task<Results<Ok<InterviewerResponse>, ProblemHttpResult>> Get(string id, IGrainFactory grains, HttpResponse response)
    {
        if (!ResourceIds.IsWellFormed(id) || await grains.GetGrain<IInterviewerGrain>(id).Get() is not { } interviewer)
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        response.SetETag(interviewer.Version);
        return TypedResults.Ok(InterviewerResponse.From(interviewer));
    }

    public static async Task<Results<Created<InterviewerResponse>, ValidationProblem>> Create(
        InterviewerRequest request, IGrainFactory grains, HttpResponse response)
    {
        var validation = new RequestValidation();
        if (InterviewerValidation.ToProfile(request, validation) is not { } profile)
        {
            return validation.Problem();
        }
        var id = ResourceIds.New();
        var created = await grains.GetGrain<IInterviewerGrain>(id).Create(profile);
        response.SetETag(created.Version);
        return TypedResults.Created($"/api/interviewers/{id}", InterviewerResponse.From(created));
    }

    public static async Task<Results<Ok<ListResponse<EventResponse>>, ValidationProblem, ProblemHttpResult>> Events(
        string id,
        IGrainFactory grains,
        HttpContext context,
        [FromQuery] Instant? from,
        [FromQuery] Instant? to,
        [FromQuery] string? status,
        [FromQuery] string? candidateEmail,
        [FromQuery] string? q,
        [FromQuery] int? limit,
        [FromQuery] int? offset,
        [FromQuery] string? sort)
    {
        if (!ResourceIds.IsWellFormed(id) || await grains.GetGrain<IInterviewerGrain>(id).Get() is null)
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        if (!context.User.CanSeeSchedule(id))
        {
            return Access.Forbidden("You can see only your own interviews.");
        }
        return await EventsApi.Search(grains, id, from, to, status, candidateEmail, q, limit, offset, sort);
    }

    public static async Task<Results<Ok<CalendarResponse>, ProblemHttpResult>> Calendar(string id, IGrainFactory grains, HttpContext context)
    {
        if (!ResourceIds.IsWellFormed(id) || await grains.GetGrain<IInterviewerGrain>(id).Get() is null)
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        if (!context.User.CanSeeSchedule(id))
        {
            return Access.Forbidden("You can see only your own calendar.");
        }
        var entries = await grains.GetGrain<IInterviewerGrain>(id).Calendar();
        return TypedResults.Ok(new CalendarResponse([.. entries.Select(e => new ReservationResponse(e.EventId, e.Slot.StartsAt.UtcDateTime, e.Slot.EndsAt.UtcDateTime))]));
    }

    public const int MaxAvailabilityDays = 31;

    public static async Task<Results<Ok<AvailabilityResponse>, ValidationProblem, ProblemHttpResult>> Availability(
        string id,
        IGrainFactory grains,
        [FromQuery] Instant? from,
        [FromQuery] Instant? to,
        [FromQuery] int? durationMinutes)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        var validation = new RequestValidation();
        if (from is not { Value: var start } || to is not { Value: var end })
        {
            validation.Add(from is null ? "from" : "to", "'from' and 'to' are required (ISO 8601).");
            start = end = default;
        }
        else
        {
            // Both checked, so both are reported.
            var inRange = EventValidation.InCalendarRange("from", start, validation) & EventValidation.InCalendarRange("to", end, validation);
            if (inRange && (end <= start || end - start > TimeSpan.FromDays(MaxAvailabilityDays)))
            {
                validation.Add("to", $"'to' must be after 'from', at most {MaxAvailabilityDays} days later.");
            }
        }
        if (durationMinutes is not { } minutes || minutes < 5 || minutes > 480)
        {
            validation.Add("durationMinutes", "'durationMinutes' must be between 5 and 480.");
        }
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var slots = await grains.GetGrain<IInterviewerGrain>(id).Availability(start.ToUniversalTime(), end.ToUniversalTime(), TimeSpan.FromMinutes(durationMinutes!.Value));
        return TypedResults.Ok(new AvailabilityResponse([.. slots.Select(s => new SlotResponse(s.StartsAt.UtcDateTime, s.EndsAt.UtcDateTime))]));
    }

    public static async Task<Results<Ok<InterviewerResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string id, InterviewerRequest request, IGrainFactory grains, HttpContext context, [FromQuery] bool? cancelUpcoming, [FromQuery] bool? keepBookings)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        if (!context.User.CanEditProfile(id))
        {
            return Access.Forbidden("You can edit only your own profile.");
        }
        var validation = new RequestValidation();
        if (InterviewerValidation.ToProfile(request, validation) is not { } profile)
        {
            return validation.Problem();
        }
        var (refusal, expectedVersion) = await context.User.CheckProfileEdit(grains, id, profile, cancelUpcoming == true, context.Request.ExpectedVersion());
        if (refusal is not null)
        {
            return refusal;
        }
        var updated = await grains.GetGrain<IInterviewerRosterGrain>(0).Update(id, profile, expectedVersion, keepBookings == true, cancelUpcoming == true);
        context.Response.SetETag(updated.Version);
        return TypedResults.Ok(InterviewerResponse.From(updated));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, IGrainFactory grains, HttpRequest request, [FromQuery] bool? cancelUpcoming)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        await grains.GetGrain<IInterviewerRosterGrain>(0).Delete(id, request.ExpectedVersion(), cancelUpcoming == true);
        return TypedResults.NoContent();
    }

    private static (InterviewerSort Sort, bool Descending) Sort(string? sort, RequestValidation validation)
    {
        if (string.IsNullOrEmpty(sort))
        {
            return (InterviewerSort.Name, false);
        }
        var descending = sort.StartsWith('-');
        if (!WireNames.InterviewerSorts.TryParse(descending ? sort[1..] : sort, out var order))
        {
            validation.Add("sort", "'sort' must be one of name, email, createdAt, updatedAt, optionally prefixed by '-'.");
            return (InterviewerSort.Name, false);
        }
        return (order, descending);
    }
}
