using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Api.OpenApi;
using Scheduler.Availability;
using Scheduler.Events;

namespace Scheduler.Api.Availability;

public static class AvailabilityEndpoints
{
    public static RouteGroupBuilder MapAvailabilityEndpoints(this IEndpointRouteBuilder routes)
    {
        // Who may list the roster and see an interviewer's free slots may search them all; who may book, books a panel.
        var group = routes.MapGroup("/api/availability").WithTags("Availability").RequireAuthorization(Policies.Authenticated);

        group.MapGet("/", Roster).WithName("GetRosterAvailability")
            .WithSummary("Free slots across the roster: every active interviewer with the skills, least-loaded first per slot");
        group.MapPost("/panel", Panels).WithName("FindPanels")
            .WithSummary("Slots where a different interviewer is free for each requirement (at once, or back to back)");

        var talent = group.MapGroup("/").RequireAuthorization(Policies.Talent);
        talent.MapPost("/panel/book", Book).WithName("BookPanel")
            .WithSummary("Book a panel's interviews, all or none: on a refusal, those booked are deleted and the failed session named")
            .ChangesBooking().Conflicts(EventCodes.SlotConflict, EventCodes.OutsideWorkingHours, EventCodes.DailyLimitReached, EventCodes.InterviewerInactive);
        return group;
    }

    public static async Task<Results<Ok<RosterAvailabilityResponse>, ValidationProblem>> Roster(
        IGrainFactory grains, HttpContext context, [AsParameters] RosterAvailabilityQuery query)
    {
        var validation = new RequestValidation();
        if (AvailabilityValidation.ToQuery(query, validation) is not { } search)
        {
            return validation.Problem();
        }
        var found = await grains.GetGrain<IRosterAvailabilityGrain>(0).Find(search);
        return TypedResults.Ok(new RosterAvailabilityResponse(
            [.. found.Slots.Select(s => new RosterSlotResponse(s.Slot.StartsAt.UtcDateTime, s.Slot.EndsAt.UtcDateTime, s.InterviewerIds, s.FreeCount))],
            [.. found.Interviewers.Select(i => Interviewer(i, context.User.IsStaff()))], found.HasMore));
    }

    public static async Task<Results<Ok<PanelAvailabilityResponse>, ValidationProblem>> Panels(
        PanelRequest request, IGrainFactory grains, HttpContext context)
    {
        var validation = new RequestValidation();
        if (AvailabilityValidation.ToQuery(request, validation) is not { } search)
        {
            return validation.Problem();
        }
        var found = await grains.GetGrain<IRosterAvailabilityGrain>(0).FindPanels(search);
        return TypedResults.Ok(new PanelAvailabilityResponse(
            [.. found.Panels.Select(p => new PanelResponse(p.Slot.StartsAt.UtcDateTime, p.Slot.EndsAt.UtcDateTime,
                [.. p.Sessions.Select(s => new PanelSessionResponse(s.Requirement, s.InterviewerId, s.Slot.StartsAt.UtcDateTime, s.Slot.EndsAt.UtcDateTime))]))],
            [.. found.Interviewers.Select(i => Interviewer(i, context.User.IsStaff()))], found.HasMore));
    }

    public static async Task<Results<Ok<PanelBookingResponse>, ValidationProblem, ProblemHttpResult>> Book(
        PanelBookingRequest request, IGrainFactory grains)
    {
        var validation = new RequestValidation();
        if (AvailabilityValidation.ToBookings(request, validation) is not { } sessions)
        {
            return validation.Problem();
        }
        var outcome = await grains.GetGrain<IPanelBookingGrain>(0).Book(sessions);
        if (outcome.FailedSession is { } failed)
        {
            var field = FormattableString.Invariant($"sessions[{failed}].interviewerId");
            if (outcome.Invalid)
            {
                var invalid = new RequestValidation();
                invalid.Add(field, outcome.Message ?? "", outcome.Code ?? "invalid");
                return invalid.Problem();
            }
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: FormattableString.Invariant($"Session {failed} could not be booked, so none was: {outcome.Message}"),
                extensions: new Dictionary<string, object?>
                {
                    ["code"] = outcome.Code,
                    ["failedSession"] = failed,
                    ["interviewerId"] = sessions[failed].Booking.InterviewerId,
                });
        }
        // 200, not 201: the interviews are several resources, each with its own id (and ETag when read).
        return TypedResults.Ok(new PanelBookingResponse([.. outcome.Booked.Select(EventResponse.From)]));
    }

    private static RosterInterviewerResponse Interviewer(RosterCandidate c, bool staff) => new(c.Id, c.Name, staff ? c.Load : null);
}
