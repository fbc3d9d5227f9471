using System.ComponentModel.DataAnnotations;
using Microsoft.OpenApi;
using Scheduler.Api.Audit;
using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Api.Interviewers;
using Scheduler.Api.Users;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Users;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Scheduler.Api.OpenApi;

/// <summary>
/// Bodies as the server reads and writes them. Responses: every member is always sent (null where the contract's
/// type allows it), so every member is required; more may be added later, so none is forbidden. Requests: the
/// members marked <see cref="RequiredAttribute"/> are required and not null; others may be left out (or null).
/// Lengths and ranges come from the contracts' data annotations; the enums from <see cref="WireNames"/>.
/// </summary>
internal sealed class SchemaContract : ISchemaFilter
{
    public const string FieldChangeId = "AuditFieldChange";

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete || context.MemberInfo is not null || concrete.Properties is not { Count: > 0 } properties)
        {
            return;
        }
        var type = context.Type;
        // Responses gain members in later versions, and requests' unknown members are ignored: neither forbids them.
        concrete.AdditionalPropertiesAllowed = true;
        if (IsResponse(type))
        {
            concrete.Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal);
        }
        else if (type.Name.EndsWith("Request", StringComparison.Ordinal))
        {
            concrete.Description ??= "Members not described here are ignored (mass assignment is impossible: ids, versions and timestamps are the server's).";
            foreach (var name in concrete.Required ?? new HashSet<string>())
            {
                if (properties[name] is OpenApiSchema required && required.Type is { } requiredType)
                {
                    required.Type = requiredType & ~JsonSchemaType.Null;
                    // Blank is missing: the validation trims a required text and answers 400 when nothing is left.
                    if (required.Type == JsonSchemaType.String)
                    {
                        required.MinLength = 1;
                    }
                }
            }
        }
        if (type == typeof(TimeRangeDto))
        {
            concrete.Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal);
            foreach (var bound in properties.Values.OfType<OpenApiSchema>())
            {
                bound.Type = JsonSchemaType.String;
                bound.Pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$";
            }
        }
        Enums(type, properties, context);
    }

    private static bool IsResponse(Type type) =>
        type.Name.EndsWith("Response", StringComparison.Ordinal) || type == typeof(Pagination)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ListResponse<>)) || type == typeof(AuditFieldChange);

    private static void Enums(Type type, IDictionary<string, IOpenApiSchema> properties, SchemaFilterContext context)
    {
        if (type == typeof(InterviewerRequest) || type == typeof(InterviewerResponse))
        {
            EnumOf(properties, "status", WireNames.InterviewerStatuses.Names);
            Weekdays(properties, open: type == typeof(InterviewerResponse));
        }
        else if (type == typeof(EventResponse))
        {
            EnumOf(properties, "status", WireNames.EventStatuses.Names);
        }
        else if (type == typeof(UserResponse) || type == typeof(CreateUserRequest) || type == typeof(UpdateUserRequest))
        {
            if (properties.TryGetValue("roles", out var roles) && roles is OpenApiSchema { Items: OpenApiSchema role })
            {
                ParameterContract.Enum(role, Roles.All);
            }
        }
        else if (type == typeof(AuditLogResponse))
        {
            EnumOf(properties, "entityType", AuditEntityTypes.All);
            EnumOf(properties, "action", AuditActions.All);
            // Stored as JSON: each changed field with its old and new value.
            properties["changes"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Each changed field → its old and new value.",
                AdditionalProperties = context.SchemaGenerator.GenerateSchema(typeof(AuditFieldChange), context.SchemaRepository),
            };
        }
        else if (type == typeof(AuditFieldChange))
        {
            // Any JSON value: a text, a number, a list, an object (working hours) or null.
            properties["from"] = new OpenApiSchema { Description = "The value before the change (null: none)." };
            properties["to"] = new OpenApiSchema { Description = "The value after the change (null: none)." };
        }
    }

    private static void EnumOf(IDictionary<string, IOpenApiSchema> properties, string name, IEnumerable<string> values)
    {
        if (properties.TryGetValue(name, out var property) && property is OpenApiSchema schema)
        {
            ParameterContract.Enum(schema, values);
            if (schema.Type?.HasFlag(JsonSchemaType.Null) == true)
            {
                schema.Enum?.Add(null!);
            }
        }
    }

    /// <summary>Working hours are keyed by weekday: a request naming another key is a 400.</summary>
    private static void Weekdays(IDictionary<string, IOpenApiSchema> properties, bool open)
    {
        if (!properties.TryGetValue("workingHours", out var property) || property is not OpenApiSchema { AdditionalProperties: { } day } hours)
        {
            return;
        }
        if (day is OpenApiSchema { Type: { } dayType } ranges)
        {
            // A day given is a list (null is a 400); a day left out is not a working day.
            ranges.Type = dayType & ~JsonSchemaType.Null;
            ranges.MaxItems = InterviewerValidation.MaxRangesPerDay;
        }
        hours.Properties = WireNames.Weekdays.Names.ToDictionary(name => name, _ => day, StringComparer.Ordinal);
        hours.AdditionalProperties = null;
        hours.AdditionalPropertiesAllowed = open;
        hours.Description = "Wall-clock ranges per weekday in the interviewer's time zone; a weekday left out is not a working day. "
            + "Null: no restriction.";
    }
}

/// <summary>One entry of an audit log's <c>changes</c>, for the document only (the server copies the stored JSON).</summary>
public sealed record AuditFieldChange(object? From, object? To);
