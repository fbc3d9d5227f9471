using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests;

internal static class TestData
{
    public static string NewId() => Guid.NewGuid().ToString("N");

    public static string UniqueEmail(string prefix = "ada") => $"{prefix}.{Guid.NewGuid():N}@example.com";

    public static Slot At(DateTimeOffset start, int minutes) => new(start, start.AddMinutes(minutes));

    public static Booking Booking(string interviewerId, Slot slot, string title = "Technical interview") =>
        new(interviewerId, title, "Candidate", "candidate@example.com", slot, null, null, null, null);

    public static async Task<string> NewInterviewer(IGrainFactory grains, InterviewerProfile? profile = null)
    {
        var id = NewId();
        await grains.GetGrain<IInterviewerGrain>(id).Create(profile ?? Profile() with { Timezone = "UTC" });
        return id;
    }

    public static InterviewerProfile Profile(string? email = null, string name = "Ada Lovelace", params string[] skills) =>
        new(name, email ?? UniqueEmail(), skills.Length == 0 ? ["csharp", "sql"] : skills, InterviewerStatus.Active, "Europe/Berlin");
}
