using System.Diagnostics;

namespace Scheduler.EndToEnd.Tests.Storage;

/// <summary>What the storage-fault tests ask of a running service.</summary>
internal static class StorageProbes
{
    /// <summary>Polls <c>/health/ready</c> until it answers <paramref name="expected"/>; fails after <paramref name="seconds"/>.</summary>
    public static async Task WaitForReadiness(SchedulerProcess service, HttpStatusCode expected, int seconds = 20)
    {
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        HttpStatusCode? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            Assert.False(service.HasExited, $"The service died:\n{service.Output}");
            try
            {
                last = (await client.GetAsync("/health/ready")).StatusCode;
                if (last == expected)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = null;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"Readiness did not answer {(int)expected} within {seconds} s (last: {(last is { } s ? (int)s : "no answer")}).");
    }

    /// <summary>The answer is 503 with <paramref name="code"/> and a <c>Retry-After</c>.</summary>
    public static async Task AssertUnavailable(HttpResponseMessage response, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503 {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }

    public static Task<HttpResponseMessage> CreateInterviewer(HttpClient client, string name) =>
        client.PostAsJsonAsync("/api/interviewers", new { name, email = $"{name}.{Guid.NewGuid():N}@example.com", skills = new[] { "storage" } });

    /// <summary>The names of the interviewers with the test's skill, as the read model lists them.</summary>
    public static async Task<string[]> Listed(HttpClient client)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/api/interviewers?skill=storage&limit=100");
        return [.. list.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).Order()];
    }
}
