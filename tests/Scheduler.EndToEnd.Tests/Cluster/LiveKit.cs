using System.Globalization;

namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>What the live-update tests share: interviewers, bookings, users, and reading messages.</summary>
internal static class LiveKit
{
    public const string Password = "correct horse battery staple";

    private static int _slot;

    public static async Task<string> NewInterviewer(HttpClient admin, string name = "Live Person")
    {
        var created = await admin.PostAsJsonAsync("/api/interviewers", new { name, email = $"live.{Guid.NewGuid():N}@example.com", timezone = "UTC" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Books an hour with <paramref name="interviewerId"/> on a slot of its own (an Idempotency-Key makes a retry safe); returns the event's id.</summary>
    public static async Task<string> Book(HttpClient client, string interviewerId, TimeSpan? retryFor = null)
    {
        var start = TestTime.NextMonday().UtcDateTime.AddHours(Interlocked.Increment(ref _slot));
        var body = new { interviewerId, title = "Live", candidateName = "Casey", candidateEmail = "casey@example.com", startsAt = TestTime.Iso(start), endsAt = TestTime.Iso(start.AddMinutes(60)) };
        var key = Guid.NewGuid().ToString("N");
        var deadline = DateTime.UtcNow + (retryFor ?? TimeSpan.Zero);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            try
            {
                var response = await client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                }
                Assert.True((int)response.StatusCode >= 500 && DateTime.UtcNow < deadline, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                // the silo that held a grain of it just died; the cluster moves it
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Creates a user with the interviewer role for <paramref name="interviewerId"/>; returns its id and a client signed in as it.</summary>
    public static async Task<(string Id, HttpClient Client, string Token)> InterviewerUser(HttpClient admin, Uri address, string interviewerId)
    {
        var email = $"live.user.{Guid.NewGuid():N}@example.com";
        var created = await admin.PostAsJsonAsync("/api/users", new { email, name = "Live Interviewer", password = Password, roles = new[] { "interviewer" }, interviewerId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var tokens = await client.SignIn(email, Password);
        client.UseTokens(tokens);
        return (id, client, tokens.GetProperty("accessToken").GetString()!);
    }

    public static string Token(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;

    public static bool About(JsonElement message, string entityId) =>
        message.GetProperty("type").GetString() == "changed" && message.GetProperty("entityId").GetString() == entityId;

    public static long Position(JsonElement message) => message.GetProperty("position").GetInt64();

    public static string Text(long position) => position.ToString(CultureInfo.InvariantCulture);
}
