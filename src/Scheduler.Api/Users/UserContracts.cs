using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Users;

namespace Scheduler.Api.Users;

/// <summary>Body of <c>POST /api/users</c>.</summary>
public sealed record CreateUserRequest(
    [property: Required, StringLength(254), EmailAddress] string? Email,
    [property: Required, StringLength(200)] string? Name,
    [property: Required, StringLength(PasswordPolicy.MaxLength, MinimumLength = PasswordPolicy.MinLength)] string? Password,
    [property: Required, MinLength(1)] string[]? Roles,
    [property: StringLength(64)] string? InterviewerId);

/// <summary>Body of <c>PUT /api/users/{id}</c> (full replacement; the email is the login and stays).</summary>
public sealed record UpdateUserRequest(
    [property: Required, StringLength(200)] string? Name,
    [property: Required, MinLength(1)] string[]? Roles,
    [property: StringLength(64)] string? InterviewerId,
    bool? Disabled);

/// <summary>Body of <c>POST /api/users/{id}/reset-password</c>.</summary>
public sealed record ResetPasswordRequest(
    [property: Required, StringLength(PasswordPolicy.MaxLength, MinimumLength = PasswordPolicy.MinLength)] string? NewPassword);

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
