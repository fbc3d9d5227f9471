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
    public async Task Production_WithoutStrongJwtSecret_RefusesToStart()
    {
        using var data = new TempDirectory();
        await using var service = SchedulerProcess.Start(data.Path, new Dictionary<string, string?> { ["Jwt__Secret"] = "too-short" });

        var exitCode = await service.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Jwt__Secret", service.Output, StringComparison.Ordinal);
    }
}
