using Microsoft.OpenApi;
using Scheduler.Api.Common;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Scheduler.Api.OpenApi;

/// <summary>Configuration section <c>OpenApi</c>.</summary>
public sealed class OpenApiOptions
{
    /// <summary>Serve <c>/swagger/v1/swagger.json</c> and Swagger UI. Default: on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }
}

/// <summary>
/// The OpenAPI document (Swashbuckle, OpenAPI 3.1) at <c>/swagger/v1/swagger.json</c> and its UI at <c>/swagger</c>:
/// generated from the endpoints, then made exact by filters that read the endpoints' metadata and the contracts'
/// annotations (<see cref="OperationContract"/>, <see cref="SchemaContract"/>, <see cref="DocumentContract"/>).
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string Title = "Scheduler API";

    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetSection("OpenApi").Get<OpenApiOptions>()?.Enabled ?? environment.IsDevelopment();

    public static IServiceCollection AddSchedulerOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = Title,
                Version = DocumentName,
                Description = "Interview scheduling: interviewers, their calendars, interviews and the audit trail. "
                    + "Errors are `application/problem+json` with a machine-readable `code`. Writes that carry `If-Match` apply only "
                    + "to the version they name (`ETag` of the last read). Request members not described are ignored; responses "
                    + "may gain members in later versions, so clients should ignore members they do not know.",
                Contact = new OpenApiContact { Name = "Scheduler maintainers" },
                License = new OpenApiLicense { Name = "Proprietary" },
            });
            // A query time binds through Instant; the document shows it as what a client sends.
            swagger.MapType<Instant>(() => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" });
            swagger.SupportNonNullableReferenceTypes();
            swagger.AddSecurityDefinition(OperationContract.SecuritySchemeId, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from POST /api/auth/login.",
            });
            swagger.OperationFilter<OperationContract>();
            swagger.SchemaFilter<SchemaContract>();
            swagger.DocumentFilter<DocumentContract>();
        });
        return services;
    }

    /// <summary>The document and the UI, under <c>/swagger</c> only (other requests skip their path matching), when enabled.</summary>
    public static WebApplication UseSchedulerOpenApi(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration, app.Environment))
        {
            return app;
        }
        app.UseWhen(static context => context.Request.Path.StartsWithSegments("/swagger"), static swagger => swagger
            .UseSwagger(options =>
            {
                options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
                // The server a client reached (through a known proxy, its public address).
                options.PreSerializeFilters.Add(static (document, request) =>
                    document.Servers = [new OpenApiServer { Url = $"{request.Scheme}://{request.Host}", Description = "This deployment" }]);
            })
            .UseSwaggerUI(options =>
            {
                options.DocumentTitle = Title;
                options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", $"{Title} {DocumentName}");
            }));
        return app;
    }
}

/// <summary>The document as a whole: the one problem schema, tags with descriptions, no unused ProblemDetails schemas.</summary>
internal sealed class DocumentContract : IDocumentFilter
{
    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Auth"] = "Sign-in, tokens and the signed-in user.",
        ["Interviewers"] = "The roster: interviewers, their working settings, calendars and free slots.",
        ["Events"] = "Interviews: booking, rescheduling, cancelling, completing.",
        ["Audit"] = "Who changed what, and when.",
        ["Users"] = "Accounts and roles (admins only).",
        ["Notifications"] = "Email notifications and their delivery (admins only).",
        ["Linked calendars"] = "External calendars whose busy time blocks an interviewer's availability.",
        ["Webhooks"] = "Webhook subscriptions (Standard Webhooks signatures), their delivery log and redelivery (admins only).",
        ["Live"] = "Live updates: what changed, as it is committed (Server-Sent Events; the SignalR hub is at /hubs/scheduler).",
        ["Availability"] = "Free time across the roster, panels of several interviewers, and booking a panel.",
        ["Backups"] = "Verified online backups of the SQLite database (admins only).",
        ["Exports"] = "The lists as CSV, Excel (XLSX) or PDF files, streamed, with the lists' filters and access rules.",
        ["Calendar"] = "Interviews in calendar apps: each interviewer's iCalendar feed and one interview as a file.",
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Components ??= new OpenApiComponents();
        swaggerDoc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        swaggerDoc.Components.Schemas[ProblemSchema.Id] = ProblemSchema.Build();
        // Every error response refers to the problem schema instead (OperationContract).
        swaggerDoc.Components.Schemas.Remove("ProblemDetails");
        swaggerDoc.Components.Schemas.Remove("HttpValidationProblemDetails");
        swaggerDoc.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
    }
}
