using Scheduler.Users;

namespace Scheduler.Api.Authorization;

/// <summary>
/// The authorization policies endpoint groups declare. Every endpoint names one (or <c>AllowAnonymous</c>); the
/// endpoint-inventory test fails the build otherwise.
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in user.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>Recruiters and admins: manage interviewers and interviews.</summary>
    public const string Talent = "talent";

    /// <summary>Admins only: users, audit log, deletions.</summary>
    public const string Admin = "admin";

    public static IServiceCollection AddSchedulerAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Authenticated, p => p.RequireAuthenticatedUser())
            .AddPolicy(Talent, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Talent))
            .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return services;
    }
}
