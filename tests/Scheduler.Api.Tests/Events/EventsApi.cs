using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Events;

/// <summary>What the events API tests book with: a Monday ahead, interviewers, booking bodies.</summary>
internal static class EventsApi
{
    /// <summary>Midnight UTC of a Monday at least a week ahead.</summary>
    public static readonly DateTime Monday = NextMonday().UtcDateTime;

    /// <summary>Creates an interviewer in UTC (<paramref name="settings"/>' properties added to or replacing the body's); returns its id.</summary>
    public static async Task<string> NewInterviewer(HttpClient client, object? settings = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Events Person",
            ["email"] = $"events.{Guid.NewGuid():N}@example.com",
            ["timezone"] = "UTC",
        };
        foreach (var property in settings?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(settings);
        }
        var created = await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", body), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>The body of <c>POST /api/events</c> (and <c>PUT /api/events/{id}</c>).</summary>
    public static object Booking(string interviewerId, DateTime start, int minutes = 60, string title = "Technical interview", string candidate = "cand@example.com") => new
    {
        interviewerId,
        title,
        candidateName = "Casey Candidate",
        candidateEmail = candidate,
        startsAt = Iso(start),
        endsAt = Iso(start.AddMinutes(minutes)),
        meetingUrl = "https://meet.example.com/abc",
    };

    /// <summary>Books <paramref name="booking"/>, which must answer 201; returns the event's id.</summary>
    public static async Task<string> Book(HttpClient client, object booking) =>
        (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", booking), HttpStatusCode.Created)).GetProperty("id").GetString()!;
}
