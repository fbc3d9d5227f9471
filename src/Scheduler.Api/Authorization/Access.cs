using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Auth;
using Scheduler.Api.Common;
using Scheduler.Events;
using Scheduler.Interviewers;
using Scheduler.Live;
using Scheduler.Users;

namespace Scheduler.Api.Authorization;

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

    /// <summary>
    /// Whose interviews a list (or an export) of <paramref name="user"/> may show: staff any interviewer's (the one asked
    /// for, or all), an interviewer user only its own. False when it asked for another's.
    /// </summary>
    public static bool TryScopeInterviews(this ClaimsPrincipal user, ref string? interviewerId)
    {
        if (user.IsStaff())
        {
            return true;
        }
        var own = user.OwnInterviewerId();
        if (own is null || (interviewerId is not null && interviewerId != own))
        {
            return false;
        }
        interviewerId = own;
        return true;
    }

    public static bool CanSee(this ClaimsPrincipal user, InterviewEvent interviewEvent) => user.CanSeeSchedule(interviewEvent.InterviewerId);

    /// <summary>
    /// Whether a live client hears of <paramref name="change"/>: staff hear of every interview and interviewer, an
    /// interviewer user of its own profile and of the interviews booked with it (or moved away from it).
    /// </summary>
    public static bool CanSee(this ClaimsPrincipal user, LiveChange change) => user.IsStaff() || change.InterviewerIds.Any(user.CanSeeSchedule);

    public static bool CanEditProfile(this ClaimsPrincipal user, string interviewerId) => user.CanSeeSchedule(interviewerId);

    /// <summary>
    /// Which fields a user may change on a profile it may edit (<see cref="CanEditProfile"/>). Staff change anything.
    /// Interviewers keep their own skills, time zone and working settings; name, status and email (its case included) are
    /// the recruiters' to change, and so is cancelling interviews with a deactivation. An interviewer's change applies to the version read
    /// here unless <paramref name="expectedVersion"/> names one, so a recruiter's change in between (a deactivation, say)
    /// is not undone by it: 412 instead.
    /// </summary>
    /// <returns>The refusal to answer (403, or 404 when there is no such interviewer), or none and the version to expect.</returns>
    public static async Task<(ProblemHttpResult? Refusal, long? ExpectedVersion)> CheckProfileEdit(
        this ClaimsPrincipal user, IGrainFactory grains, string interviewerId, InterviewerProfile profile, bool cancelUpcoming, long? expectedVersion)
    {
        if (user.IsStaff())
        {
            return (null, expectedVersion);
        }
        var current = await grains.GetGrain<IInterviewerGrain>(interviewerId).Get();
        if (current is null)
        {
            return (ApiProblems.NotFound("Interviewer", interviewerId), null);
        }
        if (current.Status != profile.Status || current.Name != profile.Name
            || !string.Equals(current.Email, profile.Email, StringComparison.Ordinal) || cancelUpcoming)
        {
            return (Forbidden("An interviewer cannot change its own name, status or email."), null);
        }
        return (null, expectedVersion ?? current.Version);
    }

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });
}
