using System.ComponentModel.DataAnnotations;
using Scheduler.Users;

namespace Scheduler.Api.Auth;

public sealed record LoginRequest(
    [property: Required, StringLength(254)] string? Email,
    [property: Required, StringLength(PasswordPolicy.MaxLength)] string? Password);

/// <summary>Body of <c>POST /api/auth/refresh</c> and <c>/logout</c>: a token the server does not know is a 401 (a 204 on logout).</summary>
public sealed record RefreshRequest([property: Required, StringLength(200)] string? RefreshToken);

public sealed record ChangePasswordRequest(
    [property: Required, StringLength(PasswordPolicy.MaxLength)] string? CurrentPassword,
    [property: Required, StringLength(PasswordPolicy.MaxLength, MinimumLength = PasswordPolicy.MinLength)] string? NewPassword);

public sealed record TokenResponse(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);

/// <summary>Body of <c>POST /api/auth/oidc/{provider}</c>.</summary>
public sealed record OidcSignInRequest([property: Required, StringLength(16_384)] string? IdToken);
