using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Scheduler.Silo.Hosting;

/// <summary>
/// <c>GET /api/health</c> in the OpenAPI document: a health-check endpoint, which the API explorer does not describe.
/// Anonymous; its 503 is the same health report as its 200 (what load balancers read), not a problem.
/// </summary>
internal sealed class HealthDocument : IDocumentFilter
{
    public const string Path = "/api/health";
    private const string ReportId = "HealthReport";

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Components ??= new OpenApiComponents();
        swaggerDoc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        swaggerDoc.Components.Schemas[ReportId] = Report();
        OpenApiResponse Answer(string description) => new()
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ReportId, swaggerDoc) },
            },
        };
        swaggerDoc.Paths ??= [];
        swaggerDoc.Paths[Path] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "GetHealth",
                    Summary = "Whether this server can serve requests",
                    Description = "Anonymous: no token is needed. The silo is active in the cluster, the database answers and the "
                        + "start-up recovery is done.",
                    Tags = new HashSet<OpenApiTagReference> { new("Health", swaggerDoc) },
                    Security = [],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = Answer("Healthy, or degraded (serving, with a reason in `checks`)."),
                        ["503"] = Answer("Unhealthy: the reasons are in `checks`."),
                        // Anonymous requests are rate-limited per client address, this one included.
                        ["429"] = new OpenApiResponse
                        {
                            Description = "Too many requests: wait `Retry-After` seconds (`code`: `rate_limited`).",
                            Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
                            {
                                ["Retry-After"] = new OpenApiHeader
                                {
                                    Description = "Seconds to wait before retrying.",
                                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                                },
                            },
                            Content = new Dictionary<string, IOpenApiMediaType>
                            {
                                ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("Problem", swaggerDoc) },
                            },
                        },
                    },
                },
            },
        };
        swaggerDoc.Tags ??= new HashSet<OpenApiTag>();
        swaggerDoc.Tags.Add(new OpenApiTag { Name = "Health", Description = "Is this server up." });
    }

    private static OpenApiSchema Report()
    {
        static OpenApiSchema Status() => new()
        {
            Type = JsonSchemaType.String,
            Enum = [JsonValue.Create("healthy"), JsonValue.Create("degraded"), JsonValue.Create("unhealthy")],
        };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string>(StringComparer.Ordinal) { "status", "checks" },
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["status"] = Status(),
                ["checks"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Each check by name (`silo`, `database`, `readModel`).",
                    AdditionalProperties = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string>(StringComparer.Ordinal) { "status", "reason" },
                        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                        {
                            ["status"] = Status(),
                            ["reason"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        },
                    },
                },
            },
        };
    }
}
