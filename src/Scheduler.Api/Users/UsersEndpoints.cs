using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.OpenApi;
using Scheduler.Interviewers;
using Scheduler.Users;

namespace Scheduler.Api.Users;

public static class UsersEndpoints
{
    public static RouteGroupBuilder MapUsersEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Admin).RequireWellFormedId("User")
            .CheckIfMatch(static async (grains, id) => (await grains.GetGrain<IUserGrain>(id).Get())?.Version);
        group.MapGet("/", List).WithName("ListUsers").WithSummary("List users (q matches name or email)");
        group.MapPost("/", Create).WithName("CreateUser").WithSummary("Create a user").SendsETag().Conflicts("email_taken");
        group.MapGet("/{id}", Get).WithName("GetUser").WithSummary("Get one user").SendsETag();
        group.MapPut("/{id}", Update).WithName("UpdateUser").WithSummary("Change a user's name, roles, interviewer link or disabled flag")
            .SendsETag().AcceptsIfMatch();
        group.MapPost("/{id}/reset-password", ResetPassword).WithName("ResetUserPassword")
            .WithSummary("Set a new password for a user (at least 12 characters): every session is revoked and a lockout lifted")
            .SendsETag().AcceptsIfMatch();
        group.MapPost("/{id}/unlock", Unlock).WithName("UnlockUser")
            .WithSummary("Lift a sign-in lockout (the account's and every address's) and forget the failed attempts; audited")
            .SendsETag().AcceptsIfMatch();
        group.MapDelete("/{id}", Delete).WithName("DeleteUser").WithSummary("Delete a user and revoke its sessions").AcceptsIfMatch();
        return group;
    }

    public static async Task<Results<Ok<ListResponse<UserResponse>>, ValidationProblem>> List(
        IGrainFactory grains, [AsParameters] UserListQuery query)
    {
        var validation = new RequestValidation();
        var (take, skip) = validation.Paging(query.Limit, query.Offset);
        var text = validation.Optional("q", query.Q, 200);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var page = await grains.GetGrain<IUserDirectoryGrain>(0).List(text, take, skip);
        return TypedResults.Ok(ListResponse<UserResponse>.From(page, UserResponse.From));
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem>> Create(
        CreateUserRequest request, IGrainFactory grains, HttpResponse response)
    {
        var validation = new RequestValidation();
        var email = validation.Email("email", request.Email);
        var name = validation.Required("name", request.Name, 200);
        if (PasswordPolicy.Problem(request.Password) is { } weak)
        {
            validation.Add("password", weak.Message, weak.Code);
        }
        var roles = ValidRoles(request.Roles, validation);
        var interviewerId = await InterviewerLink(request.InterviewerId, roles, grains, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var user = await grains.GetGrain<IUserDirectoryGrain>(0).Register(new NewUser(email!, name!, request.Password!, roles, interviewerId));
        response.SetETag(user.Version);
        return TypedResults.Created($"/api/users/{user.Id}", UserResponse.From(user));
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Get(string id, IGrainFactory grains, HttpResponse response)
    {
        if (await grains.GetGrain<IUserGrain>(id).Get() is not { } user)
        {
            return ApiProblems.NotFound("User", id);
        }
        response.SetETag(user.Version);
        return TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string id, UpdateUserRequest request, IGrainFactory grains, HttpContext context)
    {
        var validation = new RequestValidation();
        var name = validation.Required("name", request.Name, 200);
        var roles = ValidRoles(request.Roles, validation);
        var interviewerId = await InterviewerLink(request.InterviewerId, roles, grains, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var updated = await grains.GetGrain<IUserGrain>(id)
            .Update(new UserChange(name!, roles, interviewerId, request.Disabled), context.Request.ExpectedVersion());
        context.Response.SetETag(updated.Version);
        return TypedResults.Ok(UserResponse.From(updated));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetPassword(
        string id, ResetPasswordRequest request, IGrainFactory grains, HttpContext context)
    {
        var validation = new RequestValidation();
        if (PasswordPolicy.Problem(request.NewPassword) is { } weak)
        {
            validation.Add("newPassword", weak.Message, weak.Code);
        }
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var user = await grains.GetGrain<IUserGrain>(id).ResetPassword(request.NewPassword!, context.Request.ExpectedVersion());
        context.Response.SetETag(user.Version);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unlock(string id, IGrainFactory grains, HttpContext context)
    {
        var user = await grains.GetGrain<IUserGrain>(id).Unlock(context.Request.ExpectedVersion());
        context.Response.SetETag(user.Version);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, IGrainFactory grains, HttpRequest request)
    {
        await grains.GetGrain<IUserGrain>(id).Delete(request.ExpectedVersion());
        return TypedResults.NoContent();
    }

    private static string[] ValidRoles(string[]? roles, RequestValidation validation)
    {
        var distinct = (roles ?? []).Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0 || distinct.Any(r => !Roles.All.Contains(r)))
        {
            validation.Add("roles", $"'roles' must list one or more of: {string.Join(", ", Roles.All)}.");
        }
        return distinct;
    }

    private static async Task<string?> InterviewerLink(string? interviewerId, string[] roles, IGrainFactory grains, RequestValidation validation)
    {
        if (string.IsNullOrWhiteSpace(interviewerId))
        {
            return null;
        }
        if (!ResourceIds.IsWellFormed(interviewerId) || await grains.GetGrain<IInterviewerGrain>(interviewerId).Get() is null)
        {
            validation.Add("interviewerId", $"Interviewer '{interviewerId}' does not exist.");
            return null;
        }
        if (!roles.Contains(Roles.Interviewer))
        {
            validation.Add("interviewerId", "Only a user with the interviewer role is linked to an interviewer.");
        }
        return interviewerId;
    }
}
