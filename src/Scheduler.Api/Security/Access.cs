using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Auth;
using Scheduler.Events;
using Scheduler.Users;

namespace Scheduler.Api.Security;

/// <summary>
/// The one place that decides object-level access. Admins and recruiters (talent) see and manage everything
/// their policies allow; a user with the <c>interviewer</c> role reads the roster, but only its own schedule
/// and interviews, and edits only its own profile's working settings.
/// </summary>
public static class Access
{
    public static bool IsStaff(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Talent);

    public static string? OwnInterviewerId(this ClaimsPrincipal user) => user.FindFirst(SchedulerClaims.InterviewerId)?.Value;

    public static bool CanSeeSchedule(this ClaimsPrincipal user, string interviewerId) =>
        user.IsStaff() || user.OwnInterviewerId() == interviewerId;

    public static bool CanSee(this ClaimsPrincipal user, InterviewEvent interviewEvent) => user.CanSeeSchedule(interviewEvent.InterviewerId);

    public static bool CanEditProfile(this ClaimsPrincipal user, string interviewerId) => user.CanSeeSchedule(interviewerId);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });
}
