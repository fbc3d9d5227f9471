using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Security;

/// <summary>Every operation of the OpenAPI document, called as anonymous, interviewer, talent and admin.</summary>
public sealed class RoleMatrixTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private static readonly Dictionary<string, string[]> RolesOfPolicy = new(StringComparer.Ordinal)
    {
        ["authenticated"] = [Roles.Interviewer, Roles.Talent, Roles.Admin],
        ["talent"] = [Roles.Talent, Roles.Admin],
        ["admin"] = [Roles.Admin],
    };

    [Fact]
    public async Task EveryOperation_AnswersEachRoleAsItsPolicySays()
    {
        using var anonymous = factory.CreateClient();
        var document = await ApiAssert.Json(await anonymous.GetAsync("/swagger/v1/swagger.json"), HttpStatusCode.OK);
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();
        var clients = new Dictionary<string, HttpClient>
        {
            [Roles.Interviewer] = await factory.ClientAs(Roles.Interviewer),
            [Roles.Talent] = await factory.ClientAs(Roles.Talent),
            [Roles.Admin] = await factory.ClientAs(Roles.Admin),
        };
        var failures = new List<string>();
        var operations = 0;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                var endpoint = endpoints.SingleOrDefault(e => Normalize(e.RoutePattern.RawText) == path.Name
                    && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(method) == true);
                if (endpoint is null)
                {
                    failures.Add($"{method} {path.Name}: no endpoint");
                    continue;
                }
                var anonymousAllowed = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var allowed = anonymousAllowed
                    ? [.. RolesOfPolicy["authenticated"]]
                    : endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy!)
                        .Aggregate((IEnumerable<string>)RolesOfPolicy["authenticated"], (roles, policy) => roles.Intersect(RolesOfPolicy[policy])).ToArray();
                var url = path.Name.Replace("{id}", Guid.NewGuid().ToString("N"), StringComparison.Ordinal);
                operations++;

                var status = await Send(anonymous, method, url);
                // Every id here names a record that does not exist: that is a 404 (or 400, 401, 403), never a 5xx.
                if ((int)status >= 500)
                {
                    failures.Add($"anonymous {method} {path.Name}: {(int)status}");
                }
                if (!anonymousAllowed && status != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"anonymous {method} {path.Name}: {(int)status}, expected 401");
                }
                foreach (var (role, client) in clients)
                {
                    status = await Send(client, method, url);
                    if ((int)status >= 500)
                    {
                        failures.Add($"{role} {method} {path.Name}: {(int)status}");
                    }
                    var expectAllowed = allowed.Contains(role);
                    if (!expectAllowed && status != HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{role} {method} {path.Name}: {(int)status}, expected 403");
                    }
                    // (A sign-in endpoint answers 401 to bad credentials in its body: not an authorization verdict.)
                    if ((expectAllowed && status is HttpStatusCode.Unauthorized && !anonymousAllowed)
                        || (expectAllowed && role != Roles.Interviewer && status == HttpStatusCode.Forbidden))
                    {
                        failures.Add($"{role} {method} {path.Name}: {(int)status}, expected to be let through");
                    }
                }
            }
        }

        Assert.True(operations >= 20, $"only {operations} operations in the OpenAPI document");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task EveryApiEndpoint_IsInTheOpenApiDocument()
    {
        using var anonymous = factory.CreateClient();
        var document = await ApiAssert.Json(await anonymous.GetAsync("/swagger/v1/swagger.json"), HttpStatusCode.OK);
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        // Health probes are for operators and load balancers, and the catch-all only answers 404: neither is API.
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => Normalize(e.RoutePattern.RawText).StartsWith("/api/", StringComparison.Ordinal)
                && e.DisplayName is not ("Health checks" or "Health") && !e.RoutePattern.Parameters.Any(p => p.IsCatchAll))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalize(e.RoutePattern.RawText)}"))
            .ToArray();

        Assert.True(endpoints.Length >= 20, $"only {endpoints.Length} API endpoints found");
        var undocumented = endpoints.Where(e => !documented.Contains(e)).ToArray();
        Assert.True(undocumented.Length == 0, "not in the OpenAPI document: " + string.Join(", ", undocumented));
    }

    private static string Normalize(string? pattern) =>
        "/" + string.Join('/', (pattern ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries));

    private static async Task<HttpStatusCode> Send(HttpClient client, string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        if (url == "/api/stream")
        {
            // A stream let through would never end: a malformed resume position is answered (400) once past the policy.
            request.Headers.Add("Last-Event-ID", "not-a-position");
        }
        return (await client.SendAsync(request)).StatusCode;
    }
}
