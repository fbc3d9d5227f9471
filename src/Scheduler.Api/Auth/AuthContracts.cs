namespace Scheduler.Api.Auth;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record TokenResponse(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);

/// <summary>Body of <c>POST /api/auth/oidc/{provider}</c>.</summary>
public sealed record OidcSignInRequest(string? IdToken);
