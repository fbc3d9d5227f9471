using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Scheduler.Api.Common;
using Scheduler.Api.Interviewers;
using Scheduler.Audit;
using Scheduler.Common;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Scheduler.Api.OpenApi;

/// <summary>
/// The path and query parameters as the validation reads them: the enums, ranges and lengths come from the same
/// constants and name tables (<see cref="WireNames"/>, <see cref="RequestValidation"/>) the server checks against.
/// </summary>
internal static class ParameterContract
{
    public static void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Schema is not OpenApiSchema schema)
            {
                continue;
            }
            // A query value is there or not: "null" is not something a query string can say.
            if (schema.Type is { } type)
            {
                schema.Type = type & ~JsonSchemaType.Null;
            }
            Describe(operation.OperationId ?? "", parameter, schema);
        }
    }

    private static void Describe(string operationId, OpenApiParameter parameter, OpenApiSchema schema)
    {
        switch (parameter.In, parameter.Name)
        {
            case (ParameterLocation.Path, "id"):
                schema.MaxLength = 64;
                schema.Pattern = "^[A-Za-z0-9_-]+$";
                break;
            case (ParameterLocation.Query, "limit"):
                Range(schema, 1, RequestValidation.MaxLimit, RequestValidation.DefaultLimit);
                break;
            case (ParameterLocation.Query, "offset"):
                Range(schema, 0, RequestValidation.MaxOffset, 0);
                break;
            case (ParameterLocation.Query, "q"):
                schema.MaxLength = 200;
                break;
            case (ParameterLocation.Query, "interviewerId" or "entityId"):
                schema.MaxLength = 64;
                break;
            case (ParameterLocation.Query, "actor" or "candidateEmail"):
                schema.MaxLength = 254;
                break;
            case (ParameterLocation.Query, "skill" or "skills") when schema.Items is OpenApiSchema item:
                schema.MaxItems = InterviewerValidation.MaxSkills;
                item.MinLength = 1;
                item.MaxLength = InterviewerValidation.MaxSkillLength;
                break;
            case (ParameterLocation.Query, "status"):
                Enum(schema, operationId == "ListInterviewers" ? WireNames.InterviewerStatuses.Names : WireNames.EventStatuses.Names);
                break;
            case (ParameterLocation.Query, "sort"):
                var keys = operationId == "ListInterviewers" ? WireNames.InterviewerSorts.Names : WireNames.EventSorts.Names;
                Enum(schema, [.. keys, .. keys.Select(k => "-" + k)]);
                parameter.Description ??= "Sort key; prefixed by `-` for descending order.";
                break;
            case (ParameterLocation.Query, "entityType"):
                Enum(schema, AuditEntityTypes.All);
                break;
            case (ParameterLocation.Query, "action"):
                Enum(schema, AuditActions.All);
                break;
            case (ParameterLocation.Query, "perSlot"):
                Range(schema, 1, RequestValidation.MaxLimit, 10);
                break;
            case (ParameterLocation.Query, "durationMinutes"):
                Range(schema, 5, 480, null);
                parameter.Required = true;
                break;
            case (ParameterLocation.Query, "from" or "to") when operationId is "GetInterviewerAvailability" or "GetRosterAvailability":
                parameter.Required = true;
                break;
            default:
                break;
        }
        if (parameter.In == ParameterLocation.Query && schema.Format == "date-time")
        {
            parameter.Description ??= "RFC 3339 time with its offset (`Z` or `+01:00`; in a query, `+` is written `%2B`).";
        }
    }

    internal static void Enum(OpenApiSchema schema, IEnumerable<string> values) =>
        schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];

    private static void Range(OpenApiSchema schema, int minimum, int maximum, int? fallback)
    {
        schema.Minimum = minimum.ToString(CultureInfo.InvariantCulture);
        schema.Maximum = maximum.ToString(CultureInfo.InvariantCulture);
        if (fallback is { } value)
        {
            schema.Default = JsonValue.Create(value);
        }
    }
}
