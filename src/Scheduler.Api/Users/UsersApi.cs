using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Interviewers;
using Scheduler.Users;

namespace Scheduler.Api.Users;

/// <summary>Body of <c>POST /api/users</c>.</summary>
public sealed record CreateUserRequest(string? Email, string? Name, string? Password, string[]? Roles, string? InterviewerId);

/// <summary>Body of <c>PUT /api/users/{id}</c> (full replacement; the email is the login and stays).</summary>
public sealed record UpdateUserRequest(string? Name, string[]? Roles, string? InterviewerId, bool? Disabled);

/// <summary>Body of <c>POST /api/users/{id}/reset-password</c>.</summary>
public sealed record ResetPasswordRequest(string? NewPassword);

/// <summary>A user as the API shows it: never a password or its hash.</summary>
public sealed record UserResponse(
    string Id,
    string Email,
    string Name,
    IReadOnlyList<string> Roles,
    string? InterviewerId,
    bool Disabled,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version)
{
    public static UserResponse From(UserInfo u) => new(
        u.Id, u.Email, u.Name, u.Roles, u.InterviewerId, u.Disabled, u.CreatedAt.UtcDateTime, (u.UpdatedAt ?? u.CreatedAt).UtcDateTime, u.Version);
}

public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListUsers").WithSummary("List users (q matches name or email)");
        group.MapPost("/", Create).WithName("CreateUser").WithSummary("Create a user").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", Get).WithName("GetUser").WithSummary("Get one user");
        group.MapPut("/{id}", Update).WithName("UpdateUser").WithSummary("Change a user's name, roles, interviewer link or disabled flag")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/{id}/reset-password", ResetPassword).WithName("ResetUserPassword")
            .WithSummary("Set a new password for a user (at least 12 characters): every session is revoked and a lockout lifted")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{id}", Delete).WithName("DeleteUser").WithSummary("Delete a user and revoke its sessions");
        group.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }

    public static async Task<Results<Ok<ListResponse<UserResponse>>, ValidationProblem>> List(
        IGrainFactory grains, [FromQuery] string? q, [FromQuery] int? limit, [FromQuery] int? offset)
    {
        var validation = new RequestValidation();
        var (take, skip) = validation.Paging(limit, offset);
        var text = validation.Optional("q", q, 200);
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
            validation.Add("password", weak);
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
        if (!ResourceIds.IsWellFormed(id) || await grains.GetGrain<IUserGrain>(id).Get() is not { } user)
        {
            return ApiProblems.NotFound("User", id);
        }
        response.SetETag(user.Version);
        return TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string id, UpdateUserRequest request, IGrainFactory grains, HttpContext context)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("User", id);
        }
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
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("User", id);
        }
        var validation = new RequestValidation();
        if (PasswordPolicy.Problem(request.NewPassword) is { } weak)
        {
            validation.Add("newPassword", weak);
        }
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var user = await grains.GetGrain<IUserGrain>(id).ResetPassword(request.NewPassword!, context.Request.ExpectedVersion());
        context.Response.SetETag(user.Version);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, IGrainFactory grains, HttpRequest request)
    {
        if (!ResourceIds.IsWellFormed(id))
        {
            return ApiProblems.NotFound("User", id);
        }
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
