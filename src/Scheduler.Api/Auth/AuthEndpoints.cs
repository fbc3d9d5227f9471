using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.OpenApi;
using Scheduler.Api.Security;
using Scheduler.Api.Users;
using Scheduler.Users;

namespace Scheduler.Api.Auth;

public static class AuthEndpoints
{
    private const int MaxTokenLength = 200;

    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");

        var anonymous = group.MapGroup("/").AllowAnonymous().RequireRateLimiting(HardeningSetup.LoginPolicy);
        anonymous.MapPost("/login", Login).WithName("Login")
            .WithSummary("Exchange email and password for an access token and a refresh token")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        anonymous.MapPost("/refresh", Refresh).WithName("RefreshToken")
            .WithSummary("Exchange a refresh token for a new pair (the old one is spent; presenting it again revokes its family)")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        anonymous.MapPost("/logout", Logout).WithName("Logout").WithSummary("Revoke a refresh token");
        anonymous.MapPost("/oidc/{provider}", OidcSignIn.Handle).WithName("OidcSignIn")
            .WithSummary("Exchange an ID token from an enabled OpenID Connect provider (e.g. google) for our tokens")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        var signedIn = group.MapGroup("/").RequireAuthorization(Policies.Authenticated);
        signedIn.MapGet("/me", Me).WithName("Me").WithSummary("The signed-in user").SendsETag();
        signedIn.MapPost("/change-password", ChangePassword).WithName("ChangePassword")
            .WithSummary("Set a new password (at least 12 characters, not common, without the email or name); every session is revoked");
        return group;
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext context, IGrainFactory grains, TokenIssuer tokens)
    {
        var validation = new RequestValidation();
        var email = validation.Required("email", request.Email, 254);
        if (string.IsNullOrEmpty(request.Password))
        {
            validation.Add("password", "'password' is required.");
        }
        else if (request.Password.Length > PasswordPolicy.MaxLength)
        {
            validation.Add("password", $"'password' must be at most {PasswordPolicy.MaxLength} characters.");
        }
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var session = await grains.GetGrain<IUserDirectoryGrain>(0).SignIn(email!, request.Password!, ClientAddress.Of(context));
        return session is null ? InvalidCredentials("Invalid email or password.") : TypedResults.Ok(Tokens(session, tokens));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, IGrainFactory grains, TokenIssuer tokens)
    {
        if (UserOf(request.RefreshToken) is not { } userId)
        {
            return InvalidCredentials("The refresh token is not valid.");
        }
        var session = await grains.GetGrain<IUserGrain>(userId).Refresh(request.RefreshToken!);
        return session is null ? InvalidCredentials("The refresh token is not valid.") : TypedResults.Ok(Tokens(session, tokens));
    }

    public static async Task<NoContent> Logout(RefreshRequest request, IGrainFactory grains)
    {
        if (UserOf(request.RefreshToken) is { } userId)
        {
            await grains.GetGrain<IUserGrain>(userId).SignOut(request.RefreshToken!);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Me(HttpContext context, IGrainFactory grains)
    {
        var id = context.User.FindFirst("sub")?.Value;
        var user = id is null ? null : await grains.GetGrain<IUserGrain>(id).Get();
        if (user is null)
        {
            return InvalidCredentials("The user no longer exists.");
        }
        context.Response.SetETag(user.Version);
        return TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<NoContent, ValidationProblem>> ChangePassword(
        ChangePasswordRequest request, HttpContext context, IGrainFactory grains)
    {
        var validation = new RequestValidation();
        if (string.IsNullOrEmpty(request.CurrentPassword) || request.CurrentPassword.Length > PasswordPolicy.MaxLength)
        {
            validation.Add("currentPassword", "'currentPassword' is required.");
        }
        if (PasswordPolicy.Problem(request.NewPassword) is { } weak)
        {
            validation.Add("newPassword", weak.Message, weak.Code);
        }
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        await grains.GetGrain<IUserGrain>(context.User.FindFirst("sub")!.Value).ChangePassword(request.CurrentPassword!, request.NewPassword!, ClientAddress.Of(context));
        return TypedResults.NoContent();
    }

    /// <summary>Refresh tokens read <c>{userId}.{secret}</c>: the user part routes the call to the grain that can check it.</summary>
    private static string? UserOf(string? refreshToken)
    {
        if (refreshToken is not { Length: > 0 and <= MaxTokenLength })
        {
            return null;
        }
        var dot = refreshToken.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && ResourceIds.IsWellFormed(refreshToken[..dot]) ? refreshToken[..dot] : null;
    }

    private static TokenResponse Tokens(Session session, TokenIssuer tokens)
    {
        var access = tokens.Issue(session);
        return new TokenResponse(access.Token, session.RefreshToken, "Bearer", access.ExpiresInSeconds);
    }

    private static ProblemHttpResult InvalidCredentials(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
}
