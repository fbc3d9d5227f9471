using Scheduler.Users;

namespace Scheduler.Api.Auth;

/// <summary>The authorization policies endpoint groups declare. Anything not declared needs an authenticated user.</summary>
public static class Policies
{
    /// <summary>Recruiters and admins: manage interviewers and interviews.</summary>
    public const string Talent = "talent";

    /// <summary>Admins only: users, audit log, deletions.</summary>
    public const string Admin = "admin";

    public static IServiceCollection AddSchedulerAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Talent, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Talent))
            .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return services;
    }
}
