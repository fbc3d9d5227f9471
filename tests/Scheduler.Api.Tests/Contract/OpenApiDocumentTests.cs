using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Api.Tests.Contract;

/// <summary>
/// The rules the OpenAPI document keeps, checked over every operation of the served document (so a new endpoint is
/// checked too): errors, headers, security, required members, enums and limits.
/// </summary>
public sealed class OpenApiDocumentTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private const string ProblemRef = "#/components/schemas/Problem";

    private async Task<JsonObject> Document()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(o => o.Key is "get" or "post" or "put" or "delete" or "patch")
            .Select(o => (o.Key.ToUpperInvariant(), path.Key, o.Value!.AsObject())));

    private static JsonObject Responses(JsonObject operation) => operation["responses"]!.AsObject();

    [Fact]
    public async Task Document_IsOpenApi31_WithDescriptionLicenseContactServerAndOperationIds()
    {
        var document = await Document();

        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var info = document["info"]!;
        Assert.Equal("Scheduler API", info["title"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(info["description"]?.GetValue<string>()));
        Assert.NotNull(info["license"]?["name"]);
        Assert.NotNull(info["contact"]?["name"]);
        Assert.Equal("http://localhost", document["servers"]![0]!["url"]!.GetValue<string>());
        var tags = document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (method, path, operation) in Operations(document))
        {
            Assert.True(ids.Add(operation["operationId"]?.GetValue<string>() ?? ""), $"{method} {path}: no or a repeated operationId");
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{method} {path}: no summary");
            Assert.True(operation["tags"]?.AsArray().Count == 1 && tags.Contains(operation["tags"]![0]!.GetValue<string>()), $"{method} {path}: no declared tag");
        }
    }

    [Fact]
    public async Task SwaggerUi_NamesTheApi()
    {
        using var client = factory.CreateClient();
        var page = await client.GetStringAsync("/swagger/index.html");
        var config = await client.GetStringAsync("/swagger/index.js");

        Assert.Contains("<title>Scheduler API</title>", page, StringComparison.Ordinal);
        Assert.Contains("Scheduler API v1", config, StringComparison.Ordinal);
        Assert.DoesNotContain("Scheduler.Silo", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryErrorResponse_IsProblemJsonWithTheOneProblemSchema()
    {
        var document = await Document();
        var findings = new List<string>();
        foreach (var (method, path, operation) in Operations(document))
        {
            foreach (var (status, response) in Responses(operation).Where(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture) >= 400))
            {
                if (operation["operationId"]?.GetValue<string>() == "GetHealth" && status == "503")
                {
                    // A load balancer's health report, the same as its 200.
                    Assert.Equal("#/components/schemas/HealthReport", response!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
                    continue;
                }
                var content = response!["content"]?.AsObject();
                if (content is null || content.Count != 1 || content["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>() != ProblemRef)
                {
                    findings.Add($"{method} {path} {status}");
                }
            }
        }
        Assert.True(findings.Count == 0, "not problem+json with the Problem schema: " + string.Join(", ", findings));

        var problem = document["components"]!["schemas"]!["Problem"]!;
        var members = problem["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(Set("type", "title", "status", "detail", "code", "traceId", "error", "message", "statusCode", "errors", "conflictingEventId", "upcomingEventIds"), members);
        Assert.Superset(Set("code", "traceId", "error", "message", "statusCode"), problem["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryOperation_ListsTheStatusesItsShapeImplies()
    {
        var document = await Document();
        var findings = new List<string>();
        foreach (var (method, path, operation) in Operations(document))
        {
            var statuses = Responses(operation).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            void Expect(bool when, params string[] expected) => findings.AddRange(when
                ? expected.Where(s => !statuses.Contains(s)).Select(s => $"{method} {path} lacks {s}")
                : []);
            Expect(path.Contains('{', StringComparison.Ordinal), "404");
            Expect(operation["requestBody"] is not null, "400", "413", "415");
            var parameters = operation["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            Expect(method is "PUT" or "DELETE" && path.Contains('{', StringComparison.Ordinal), "412");
            Expect(parameters.Contains("If-Match"), "412");
            Assert.Equal(parameters.Contains("If-Match"), statuses.Contains("412"));
            Expect(true, "503");
            Expect(true, "429");
            foreach (var status in new[] { "429", "503" }.Where(s => statuses.Contains(s) && (s == "429" || path != "/api/health")))
            {
                if (Responses(operation)[status]!["headers"]?["Retry-After"] is null)
                {
                    findings.Add($"{method} {path} {status} without Retry-After");
                }
            }
            if (method is "PUT" or "DELETE" && path.Contains('{', StringComparison.Ordinal) && !parameters.Contains("If-Match"))
            {
                findings.Add($"{method} {path} does not take If-Match");
            }
            foreach (var (status, response) in Responses(operation).Where(r => r.Key is "200" or "201"))
            {
                if (status == "201" && response!["headers"]?["Location"] is null)
                {
                    findings.Add($"{method} {path} 201 without Location");
                }
                if ((path.EndsWith("{id}", StringComparison.Ordinal) || status == "201") && response!["headers"]?["ETag"] is null)
                {
                    findings.Add($"{method} {path} {status} without ETag");
                }
            }
        }
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));

        var schedule = document["paths"]!["/api/events"]!["post"]!;
        Assert.Contains(schedule["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header");
        Assert.Contains("change_in_doubt", Responses(schedule.AsObject())["503"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("has_upcoming_events", Responses(document["paths"]!["/api/interviewers/{id}"]!["delete"]!.AsObject())["409"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecuredOperations_CarryTheBearerAndList401403And429_AnonymousOnesCarryNone()
    {
        var document = await Document();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();
        var findings = new List<string>();
        var anonymous = 0;
        foreach (var (method, path, operation) in Operations(document))
        {
            var endpoint = endpoints.Single(e => "/" + string.Join('/', (e.RoutePattern.RawText ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries)) == path
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods.Contains(method) == true);
            var secured = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any() && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
            var security = operation["security"]?.AsArray();
            var statuses = Responses(operation);
            if (secured && (security?.Count != 1 || security[0]!["Bearer"] is null || statuses["401"] is null || statuses["403"] is null || statuses["429"] is null))
            {
                findings.Add($"{method} {path} is secured but its security or 401/403/429 are missing");
            }
            if (!secured)
            {
                anonymous++;
                if (security is not { Count: 0 } || statuses["403"] is not null)
                {
                    findings.Add($"{method} {path} is anonymous but carries security");
                }
            }
        }
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
        Assert.True(anonymous >= 4, $"only {anonymous} anonymous operations (login, refresh, logout, OIDC)");
        Assert.Null(document["security"]);
    }

    [Fact]
    public async Task EveryResponseMember_IsRequired_AndNullableOnlyWhereTheContractTypeIs()
    {
        var document = await Document();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var contracts = typeof(Scheduler.Api.SchedulerApiExtensions).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Response", StringComparison.Ordinal) && !t.IsGenericType).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var nullability = new NullabilityInfoContext();
        var findings = new List<string>();
        var checkedTypes = 0;
        foreach (var (name, schema) in schemas.Where(s => s.Key.EndsWith("Response", StringComparison.Ordinal) || s.Key == "Pagination"))
        {
            var properties = schema!["properties"]!.AsObject();
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            findings.AddRange(properties.Where(p => !required.Contains(p.Key)).Select(p => $"{name}.{p.Key} is not required"));
            if (!contracts.TryGetValue(name, out var type))
            {
                continue;
            }
            checkedTypes++;
            foreach (var property in type.GetProperties())
            {
                var member = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                var nullable = nullability.Create(property).ReadState == NullabilityState.Nullable;
                var allowsNull = AllowsNull(properties[member]!);
                if (nullable != allowsNull)
                {
                    findings.Add($"{name}.{member}: the server {(nullable ? "may send" : "never sends")} null, the document says {(allowsNull ? "nullable" : "not null")}");
                }
            }
        }
        Assert.True(checkedTypes >= 8, $"only {checkedTypes} response types matched their schemas");
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public async Task Requests_StateRequiredMembersEnumsAndLimits_ResponsesDoNotForbidNewMembers()
    {
        var document = await Document();
        var schemas = document["components"]!["schemas"]!;
        static HashSet<string> Required(JsonNode schema) => schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(Set("interviewerId", "title", "candidateName", "candidateEmail", "startsAt", "endsAt"), Required(schemas["EventRequest"]!));
        Assert.Superset(Set("email", "password"), Required(schemas["LoginRequest"]!));
        Assert.Superset(Set("name", "email"), Required(schemas["InterviewerRequest"]!));
        Assert.False(AllowsNull(schemas["EventRequest"]!["properties"]!["startsAt"]!));
        var interviewer = schemas["InterviewerRequest"]!["properties"]!;
        Assert.Equal("0", interviewer["bufferMinutes"]!["minimum"]!.ToString());
        Assert.Equal("120", interviewer["bufferMinutes"]!["maximum"]!.ToString());
        Assert.Equal(200, interviewer["name"]!["maxLength"]!.GetValue<int>());
        Assert.Contains("inactive", interviewer["status"]!["enum"]!.AsArray().Select(v => v?.ToString()));
        Assert.Contains("monday", interviewer["workingHours"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("completed", schemas["EventResponse"]!["properties"]!["status"]!["enum"]!.AsArray().Select(v => v!.ToString()));
        Assert.Contains("talent", schemas["UserResponse"]!["properties"]!["roles"]!["items"]!["enum"]!.AsArray().Select(v => v!.ToString()));
        var audit = schemas["AuditLogResponse"]!["properties"]!;
        Assert.Contains("password_reset", audit["action"]!["enum"]!.AsArray().Select(v => v!.ToString()));
        Assert.Equal("#/components/schemas/AuditFieldChange", audit["changes"]!["additionalProperties"]!["$ref"]!.GetValue<string>());
        Assert.Superset(Set("from", "to"), Required(schemas["AuditFieldChange"]!));

        var list = document["paths"]!["/api/interviewers"]!["get"]!["parameters"]!.AsArray();
        var limit = list.Single(p => p!["name"]!.GetValue<string>() == "limit")!["schema"]!;
        Assert.Equal("1", limit["minimum"]!.ToString());
        Assert.Equal("100", limit["maximum"]!.ToString());
        Assert.Contains("-createdAt", list.Single(p => p!["name"]!.GetValue<string>() == "sort")!["schema"]!["enum"]!.AsArray().Select(v => v!.ToString()));

        var forbidding = schemas.AsObject().Where(s => s.Key.EndsWith("Response", StringComparison.Ordinal) && s.Value!["additionalProperties"]?.GetValueKind() == JsonValueKind.False);
        Assert.Empty(forbidding);
    }

    private static HashSet<string> Set(params string[] members) => new(members, StringComparer.Ordinal);

    private static bool AllowsNull(JsonNode schema) => schema["type"] switch
    {
        JsonArray types => types.Any(t => t!.GetValue<string>() == "null"),
        JsonValue type => type.GetValue<string>() == "null",
        _ => schema["oneOf"]?.AsArray().Any(s => AllowsNull(s!)) == true || schema["anyOf"]?.AsArray().Any(s => AllowsNull(s!)) == true,
    };
}
