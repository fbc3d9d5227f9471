using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Api.Tests.Architecture;

/// <summary>Every endpoint states who may call it: a policy or an explicit AllowAnonymous.</summary>
public sealed class EndpointInventoryTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public void EveryEndpoint_DeclaresAPolicyOrAllowAnonymous()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();

        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
            .Select(e => e.DisplayName ?? e.RoutePattern.RawText)
            .ToArray();

        Assert.NotEmpty(endpoints);
        Assert.Empty(undeclared);
    }

    [Fact]
    public async Task UnknownRoute_WithoutToken_Returns404_AndWrongMethodReturns405()
    {
        using var client = factory.CreateClient();

        await ApiAssert.Problem(await client.GetAsync("/api/nothing-here"), HttpStatusCode.NotFound);
        await ApiAssert.Problem(await client.PatchAsync("/api/interviewers", null), HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task NonJsonBody_Returns415Problem()
    {
        var client = await factory.ClientAs(Scheduler.Users.Roles.Talent);

        var response = await client.PostAsync("/api/interviewers", new StringContent("name=x", System.Text.Encoding.UTF8, "text/plain"));

        await ApiAssert.Problem(response, HttpStatusCode.UnsupportedMediaType);
    }
}
