using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Api.OpenApi;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Api.Interviewers;

public static class InterviewersEndpoints
{
    public static RouteGroupBuilder MapInterviewersEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/interviewers").WithTags("Interviewers").RequireAuthorization(Policies.Authenticated)
            .RequireWellFormedId("Interviewer")
            .CheckIfMatch(static async (grains, id) => (await grains.GetGrain<IInterviewerGrain>(id).Get())?.Version);

        group.MapGet("/", List).WithName("ListInterviewers").WithSummary("List interviewers (filter, search, sort, page)");
        group.MapGet("/{id}", Get).WithName("GetInterviewer").WithSummary("Get one interviewer").SendsETag();
        group.MapGet("/{id}/events", Events).WithName("ListInterviewerEvents").WithSummary("List one interviewer's interviews");
        group.MapGet("/{id}/calendar", Calendar).WithName("GetInterviewerCalendar")
            .WithSummary("The interviewer's reservations (busy times), one per booked interview");
        group.MapGet("/{id}/availability", Availability).WithName("GetInterviewerAvailability")
            .WithSummary("Free slots of a given length (15-minute grid, working hours, buffers, daily limit, bookings)");

        var talent = group.MapGroup("/").RequireAuthorization(Policies.Talent);
        talent.MapPost("/", Create).WithName("CreateInterviewer").WithSummary("Add an interviewer to the roster")
            .SendsETag().Conflicts("email_taken");
        // Recruiters edit any profile; an interviewer its own (object-level rule in Access).
        group.MapPut("/{id}", Update).WithName("UpdateInterviewer").WithSummary("Replace an interviewer's editable fields")
            .SendsETag().AcceptsIfMatch().ChangesBooking().Conflicts("email_taken", EventCodes.HasUpcomingEvents, EventCodes.BookingsOutsideSettings);

        var admin = group.MapGroup("/").RequireAuthorization(Policies.Admin);
        admin.MapDelete("/{id}", Delete).WithName("DeleteInterviewer").WithSummary("Remove an interviewer")
            .AcceptsIfMatch().ChangesBooking().Conflicts(EventCodes.HasUpcomingEvents);
        return group;
    }

    public static async Task<Results<Ok<ListResponse<InterviewerResponse>>, ValidationProblem>> List(
        IGrainFactory grains, [AsParameters] InterviewerListQuery query)
    {
        var validation = new RequestValidation();
        if (InterviewerValidation.ToQuery(query, validation) is not { } search)
        {
            return validation.Problem();
        }
        var page = await grains.GetGrain<IInterviewerQueryGrain>(0).List(search);
        return TypedResults.Ok(ListResponse<InterviewerResponse>.From(page, InterviewerResponse.From));
    }

    public static async Task<Results<Ok<InterviewerResponse>, ProblemHttpResult>> Get(string id, IGrainFactory grains, HttpResponse response)
    {
        if (await grains.GetGrain<IInterviewerGrain>(id).Get() is not { } interviewer)
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
        var grain = grains.GetGrain<IInterviewerGrain>(id);
        Interviewer created;
        using (FreshGrain.Announce(grain))
        {
            created = await grain.Create(profile);
        }
        response.SetETag(created.Version);
        return TypedResults.Created($"/api/interviewers/{id}", InterviewerResponse.From(created));
    }

    public static async Task<Results<Ok<ListResponse<EventResponse>>, ValidationProblem, ProblemHttpResult>> Events(
        string id, IGrainFactory grains, HttpContext context, [AsParameters] EventListQuery query)
    {
        if (await grains.GetGrain<IInterviewerGrain>(id).Get() is null)
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        if (!context.User.CanSeeSchedule(id))
        {
            return Access.Forbidden("You can see only your own interviews.");
        }
        return await EventsEndpoints.Search(grains, id, query);
    }

    public static async Task<Results<Ok<CalendarResponse>, ProblemHttpResult>> Calendar(string id, IGrainFactory grains, HttpContext context)
    {
        if (await grains.GetGrain<IInterviewerGrain>(id).Get() is null)
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

    public static async Task<Results<Ok<AvailabilityResponse>, ValidationProblem, ProblemHttpResult>> Availability(
        string id, IGrainFactory grains, [AsParameters] AvailabilityQuery query)
    {
        var validation = new RequestValidation();
        if (InterviewerValidation.ToAvailability(query, validation) is not (var from, var to, var duration))
        {
            return validation.Problem();
        }
        var slots = await grains.GetGrain<IInterviewerGrain>(id).Availability(from, to, duration);
        return TypedResults.Ok(new AvailabilityResponse([.. slots.Select(s => new SlotResponse(s.StartsAt.UtcDateTime, s.EndsAt.UtcDateTime))]));
    }

    public static async Task<Results<Ok<InterviewerResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string id, InterviewerRequest request, IGrainFactory grains, HttpContext context, [FromQuery] bool? cancelUpcoming, [FromQuery] bool? keepBookings)
    {
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
        await grains.GetGrain<IInterviewerRosterGrain>(0).Delete(id, request.ExpectedVersion(), cancelUpcoming == true);
        return TypedResults.NoContent();
    }
}
