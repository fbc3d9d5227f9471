using static Scheduler.Api.Tests.Events.EventsApi;

namespace Scheduler.Api.Tests.Availability;

/// <summary>What the roster availability tests share: interviewers with a skill of the test's own, so tests do not see each other's.</summary>
internal static class AvailabilityApi
{
    /// <summary>A skill no other test gives.</summary>
    public static string NewSkill() => $"skill-{Guid.NewGuid():N}";

    /// <summary>An interviewer in UTC working Monday 09:00-<paramref name="until"/> with the skills; returns its id.</summary>
    public static Task<string> Working(HttpClient talent, string until, params string[] skills) => NewInterviewer(talent, new
    {
        skills,
        workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = until }] },
    });

    public static IEnumerable<string> Ids(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);
}

[CollectionDefinition(Name)]
public sealed class AvailabilityApiCollection : ICollectionFixture<SchedulerApiFactory>
{
    public const string Name = "availability-api";
}
