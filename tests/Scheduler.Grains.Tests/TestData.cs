using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests;

internal static class TestData
{
    public static string NewId() => Guid.NewGuid().ToString("N");

    public static string UniqueEmail(string prefix = "ada") => $"{prefix}.{Guid.NewGuid():N}@example.com";

    public static InterviewerProfile Profile(string? email = null, string name = "Ada Lovelace", params string[] skills) =>
        new(name, email ?? UniqueEmail(), skills.Length == 0 ? ["csharp", "sql"] : skills, InterviewerStatus.Active, "Europe/Berlin");
}
