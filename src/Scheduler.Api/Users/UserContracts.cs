using Microsoft.AspNetCore.Mvc;
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

/// <summary>The query of <c>GET /api/users</c>: every member is optional.</summary>
/// <param name="Q">Text searched in name and email.</param>
public sealed record UserListQuery(
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "offset")] int? Offset);
