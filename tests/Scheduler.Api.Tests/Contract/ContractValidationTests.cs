using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Contract;

/// <summary>The check every HTTP test's responses go through (<see cref="ContractValidationStartupFilter"/>) finds what it must.</summary>
public sealed class ContractValidationTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private static readonly Func<string, bool> NoHeaders = _ => false;

    private async Task<OpenApiContract> Contract()
    {
        using var client = factory.CreateClient();
        return new OpenApiContract(await client.GetStringAsync("/swagger/v1/swagger.json"));
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task TestHost_ChecksTheResponsesOfDocumentedOperations()
    {
        var client = await factory.ClientAs(Roles.Admin);

        await ApiAssert.Json(await client.GetAsync("/api/users?limit=1"), HttpStatusCode.OK);

        Assert.True(factory.Services.GetRequiredService<HostContract>().InUse);
    }

    [Fact]
    public async Task Check_StatusNotListed_IsReported()
    {
        var contract = await Contract();
        var operation = contract.Operation("GET", "/api/users")!;

        var findings = contract.Check(operation, 418, "application/problem+json", NoHeaders, []);

        Assert.Contains(findings, f => f.Contains("418 is not listed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_BodyNotMatchingItsSchema_OrWithAnUndocumentedMember_IsReported()
    {
        var contract = await Contract();
        var operation = contract.Operation("GET", "/api/interviewers/0123456789abcdef")!;
        const string Interviewer = """
            {"id":"a","name":"n","email":"e@x.io","skills":[],"status":"active","timezone":"UTC","createdAt":"2030-01-01T00:00:00Z",
             "updatedAt":"2030-01-01T00:00:00Z","version":1,"workingHours":null,"maxInterviewsPerDay":null,"bufferMinutes":0
            """;
        Func<string, bool> etag = h => h == "ETag";

        Assert.Empty(contract.Check(operation, 200, "application/json", etag, Json(Interviewer + "}")));
        Assert.NotEmpty(contract.Check(operation, 200, "application/json", etag, Json(Interviewer.Replace("\"active\"", "\"asleep\"", StringComparison.Ordinal) + "}")));
        Assert.NotEmpty(contract.Check(operation, 200, "application/json", etag, Json(Interviewer.Replace("\"name\":\"n\",", "", StringComparison.Ordinal) + "}")));
        Assert.NotEmpty(contract.Check(operation, 200, "application/json", etag, Json(Interviewer + ",\"secret\":1}")));
        Assert.NotEmpty(contract.Check(operation, 200, "text/plain", etag, Json(Interviewer + "}")));
    }

    [Fact]
    public async Task Check_HeaderNotDeclared_OrDeclaredRequiredButMissing_IsReported()
    {
        var contract = await Contract();
        var list = contract.Operation("GET", "/api/users")!;
        var get = contract.Operation("GET", "/api/users/0123456789abcdef")!;
        const string Page = """{"data":[],"pagination":{"total":0,"limit":50,"offset":0,"hasMore":false}}""";

        Assert.Contains(contract.Check(list, 200, "application/json", h => h == "ETag", Json(Page)), f => f.Contains("ETag", StringComparison.Ordinal));
        Assert.Contains(contract.Check(get, 404, "application/problem+json", h => h == "Retry-After", []), f => f.Contains("Retry-After", StringComparison.Ordinal));
        Assert.Contains(contract.Check(get, 200, "application/json", NoHeaders, []), f => f.Contains("ETag", StringComparison.Ordinal));
    }
}
