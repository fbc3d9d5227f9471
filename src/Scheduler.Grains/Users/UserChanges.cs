using System.Globalization;
using Scheduler.Grains.Audit;
using Scheduler.Users;

namespace Scheduler.Grains.Users;

/// <summary>The audit <c>changes</c> of a user: each profile field that differs between two versions.</summary>
internal static class UserChanges
{
    public static ChangeSet Between(UserInfo? before, UserInfo? after) => new ChangeSet()
        .Field("email", before?.Email, after?.Email)
        .Field("name", before?.Name, after?.Name)
        .Field("roles", before?.Roles, after?.Roles)
        .Field("interviewerId", before?.InterviewerId, after?.InterviewerId)
        .Field("disabled", before is null ? null : before.Disabled ? "true" : "false", after is null ? null : after.Disabled ? "true" : "false");

    /// <summary>The entry says that the password changed, never what it is.</summary>
    public static ChangeSet Password() => new ChangeSet().Field("password", "(hidden)", "(changed)");

    public static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
