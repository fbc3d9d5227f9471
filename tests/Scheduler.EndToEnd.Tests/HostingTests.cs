using System.Net.Http.Headers;
using System.Text;

namespace Scheduler.EndToEnd.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Body_Over1MiB_Returns413Problem_OnKestrel()
    {
        using var data = new TempDirectory();
        await using var service = SchedulerProcess.Start(data.Path);
        await service.WaitUntilHealthy();
        using var client = await service.AdminClient();

        var body = new StringContent($"{{\"name\":\"{new string('x', 1024 * 1024 + 10)}\",\"email\":\"big@example.com\"}}", Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/interviewers", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(413, problem.GetProperty("statusCode").GetInt32());
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/interviewers?q=big%40example.com");
        Assert.Equal(0, listed.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task RequestTarget_Over8KiB_Returns414Problem_OnKestrel()
    {
        using var data = new TempDirectory();
        await using var service = SchedulerProcess.Start(data.Path);
        await service.WaitUntilHealthy();
        using var client = await service.AdminClient();

        // Over Kestrel's default request-line limit (8 KiB), which answered an empty 414 of its own.
        var response = await client.GetAsync("/api/interviewers?q=" + new string('q', 20 * 1024));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("uri_too_long", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Production_WithoutStrongJwtSecret_RefusesToStart()
    {
        using var data = new TempDirectory();
        await using var service = SchedulerProcess.Start(data.Path, new Dictionary<string, string?> { ["Jwt__Secret"] = "too-short" });

        var exitCode = await service.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Jwt__Secret", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_ReadinessTurns503WhileLiveStays200_ThenTheProcessExitsCleanly()
    {
        using var data = new TempDirectory();
        await using var service = SchedulerProcess.Start(data.Path, new Dictionary<string, string?> { ["Shutdown__DrainSeconds"] = "10" });
        await service.WaitUntilHealthy();
        using var client = new HttpClient { BaseAddress = service.BaseAddress };

        service.Terminate();
        // Within the drain the process still answers: readiness says it is going, liveness that it is there.
        var ready = await client.GetAsync("/health/ready");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (ready.StatusCode == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            ready = await client.GetAsync("/health/ready");
        }
        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(0, await service.WaitForExit(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task ProductionLogs_AreJsonLinesWithTraceIds_AndHoldNoTokenOrPassword()
    {
        using var data = new TempDirectory();
        await using var service = SchedulerProcess.Start(data.Path, new Dictionary<string, string?>
        {
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
        });
        await service.WaitUntilHealthy();
        using var client = new HttpClient { BaseAddress = service.BaseAddress };

        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = SchedulerProcess.AdminEmail, password = SchedulerProcess.AdminPassword });
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
        var accessToken = tokens.GetProperty("accessToken").GetString()!;
        var refreshToken = tokens.GetProperty("refreshToken").GetString()!;
        const string wrongPassword = "not-the-password-4711";
        await client.PostAsJsonAsync("/api/auth/login", new { email = SchedulerProcess.AdminEmail, password = wrongPassword });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/interviewers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        // A calendar feed's path is its credential: neither the hosting log nor a request's scope may carry it.
        var feedToken = "feed-token-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/calendar/{feedToken}.ics")).StatusCode);
        service.Terminate();
        Assert.Equal(0, await service.WaitForExit(TimeSpan.FromSeconds(60)));

        var lines = service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line); // every line is one JSON object
            Assert.Equal(JsonValueKind.Object, entry.RootElement.ValueKind);
        }
        Assert.Contains(lines, line => line.Contains("\"TraceId\"", StringComparison.Ordinal) && line.Contains("\"SpanId\"", StringComparison.Ordinal));
        foreach (var secret in new[] { SchedulerProcess.AdminPassword, wrongPassword, accessToken, refreshToken, accessToken.Split('.')[2], feedToken })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }
}
