using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Auth;
using Scheduler.Api.Common;
using Scheduler.Interviewers;

namespace Scheduler.Api.Interviewers;

public static class InterviewersApi
{
    public static RouteGroupBuilder MapInterviewersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/interviewers").WithTags("Interviewers").RequireAuthorization(Policies.Authenticated);

        group.MapGet("/", List).WithName("ListInterviewers").WithSummary("List interviewers (filter, search, sort, page)");
        group.MapGet("/{id}", Get).WithName("GetInterviewer").WithSummary("Get one interviewer");

        var talent = group.MapGroup("/").RequireAuthorization(Policies.Talent);
        talent.MapPost("/", Create).WithName("CreateInterviewer").WithSummary("Add an interviewer to the roster")
            .ProducesProblem(StatusCodes.Status409Conflict);
        talent.MapPut("/{id}", Update).WithName("UpdateInterviewer").WithSummary("Replace an interviewer's editable fields")
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

    public static async Task<Results<Ok<InterviewerResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string id, InterviewerRequest request, IGrainFactory grains, HttpContext context)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        var validation = new RequestValidation();
        if (InterviewerValidation.ToProfile(request, validation) is not { } profile)
        {
            return validation.Problem();
        }
        var updated = await grains.GetGrain<IInterviewerGrain>(id).Update(profile, context.Request.ExpectedVersion());
        context.Response.SetETag(updated.Version);
        return TypedResults.Ok(InterviewerResponse.From(updated));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, IGrainFactory grains, HttpRequest request)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("Interviewer", id);
        }
        await grains.GetGrain<IInterviewerGrain>(id).Delete(request.ExpectedVersion());
        return TypedResults.NoContent();
    }

    private static (InterviewerSort Sort, bool Descending) Sort(string? sort, RequestValidation validation)
    {
        if (string.IsNullOrEmpty(sort))
        {
            return (InterviewerSort.Name, false);
        }
        var descending = sort.StartsWith('-');
        InterviewerSort? order = (descending ? sort[1..] : sort) switch
        {
            "name" => InterviewerSort.Name,
            "email" => InterviewerSort.Email,
            "createdAt" => InterviewerSort.CreatedAt,
            "updatedAt" => InterviewerSort.UpdatedAt,
            _ => null,
        };
        if (order is null)
        {
            validation.Add("sort", "'sort' must be one of name, email, createdAt, updatedAt, optionally prefixed by '-'.");
            return (InterviewerSort.Name, false);
        }
        return (order.Value, descending);
    }
}
