using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Common;
using Scheduler.Users;

namespace Scheduler.Api.Auth;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record LoginResponse(string AccessToken, string TokenType, int ExpiresIn);

public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(Security.HardeningSetup.LoginPolicy);

        group.MapPost("/login", Login)
            .WithName("Login")
            .WithSummary("Exchange email and password for a bearer access token")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        return group;
    }

    public static async Task<Results<Ok<LoginResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, IGrainFactory grains, TokenIssuer tokens)
    {
        var validation = new RequestValidation();
        var email = validation.Required("email", request.Email, 254);
        var password = request.Password;
        if (string.IsNullOrEmpty(password))
        {
            validation.Add("password", "'password' is required.");
        }
        else if (password.Length > 1024)
        {
            validation.Add("password", "'password' must be at most 1024 characters.");
        }
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var user = await grains.GetGrain<IUserDirectoryGrain>(0).Authenticate(email!, password!);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Invalid email or password.");
        }
        var token = tokens.Issue(user);
        return TypedResults.Ok(new LoginResponse(token.Token, "Bearer", token.ExpiresInSeconds));
    }
}
