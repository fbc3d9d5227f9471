using Microsoft.AspNetCore.Hosting;
using Scheduler.Api.Tests.Security;

namespace Scheduler.Api.Tests.Contract;

/// <summary>A host in a given environment, with or without the <c>OpenApi:Enabled</c> setting.</summary>
public sealed class EnvironmentFactory(string environment, string? openApiEnabled) : SchedulerApiFactory
{
    protected override string? OpenApiEnabled => openApiEnabled;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(environment);
    }
}

public sealed class OpenApiSwitchTests
{
    [Theory]
    [InlineData("Development", null, HttpStatusCode.OK)]
    [InlineData("Production", null, HttpStatusCode.NotFound)]
    [InlineData("Production", "true", HttpStatusCode.OK)]
    [InlineData("Development", "false", HttpStatusCode.NotFound)]
    public async Task Document_IsOnInDevelopmentOffInProduction_AndOpenApiEnabledSwitchesIt(string environment, string? enabled, HttpStatusCode expected)
    {
        await using var factory = new EnvironmentFactory(environment, enabled);
        await factory.InitializeAsync();
        using var client = factory.CreateClient();

        var document = await client.GetAsync("/swagger/v1/swagger.json");
        var ui = await client.GetAsync("/swagger/index.html");

        Assert.Equal(expected, document.StatusCode);
        Assert.Equal(expected, ui.StatusCode);
    }
}

public sealed class CorsCachingTests(StrictFactory factory) : IClassFixture<StrictFactory>
{
    [Fact]
    public async Task Preflight_SendsMaxAge_AndResponsesVaryOnOrigin()
    {
        using var client = factory.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/interviewers");
        preflight.Headers.Add("Origin", StrictFactory.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,if-match");
        using var plain = new HttpRequestMessage(HttpMethod.Get, "/api/health");

        var answer = await client.SendAsync(preflight);
        var response = await client.SendAsync(plain);

        Assert.Equal("600", answer.Headers.GetValues("Access-Control-Max-Age").Single());
        Assert.Contains("Origin", response.Headers.Vary);
    }
}
