namespace Scheduler.Api.Tests.Hosting;

public sealed class HostingTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task Health_SiloUpAndDatabaseAnswering_Returns200Healthy()
    {
        using var client = factory.CreateClient();

        var body = await ApiAssert.Json(await client.GetAsync("/api/health"), HttpStatusCode.OK);

        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Dashboard_IsForAdminsOnly()
    {
        using var anonymous = factory.CreateClient();
        var talent = await factory.ClientAs(Scheduler.Users.Roles.Talent);
        var admin = await factory.ClientAs(Scheduler.Users.Roles.Admin);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await talent.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task Live_AnswersWithoutCheckingDependencies()
    {
        using var client = factory.CreateClient();

        var body = await ApiAssert.Json(await client.GetAsync("/health/live"), HttpStatusCode.OK);

        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task UnknownApiRoute_Returns404Problem()
    {
        using var client = factory.CreateClient();

        await ApiAssert.Problem(await client.GetAsync("/api/no-such-route"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Swagger_DescribesEveryEndpointAndTheBearerScheme()
    {
        using var client = factory.CreateClient();

        var doc = await ApiAssert.Json(await client.GetAsync("/swagger/v1/swagger.json"), HttpStatusCode.OK);
        var ui = await client.GetAsync("/swagger/index.html");

        var paths = doc.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/interviewers").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/interviewers").TryGetProperty("post", out var post));
        Assert.True(post.TryGetProperty("requestBody", out _));
        Assert.True(post.GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(paths.GetProperty("/api/interviewers/{id}").TryGetProperty("put", out _));
        Assert.True(paths.GetProperty("/api/interviewers/{id}").TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/auth/login").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/audit-logs").TryGetProperty("get", out var auditLogs));
        // A query time is documented as the string a client sends, not as the type it binds to.
        var from = auditLogs.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "from");
        Assert.Equal("string", from.GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("date-time", from.GetProperty("schema").GetProperty("format").GetString());
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
    }
}
