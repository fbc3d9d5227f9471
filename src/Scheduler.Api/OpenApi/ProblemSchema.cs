using Microsoft.OpenApi;

namespace Scheduler.Api.OpenApi;

/// <summary>
/// The one schema of every error body: RFC 9457 problem details plus the members the server adds
/// (<see cref="Common.ProblemHandling"/>, <see cref="Common.DomainExceptionHandler"/>). Members the server always sends
/// are required; later versions may add members, so none is forbidden.
/// </summary>
internal static class ProblemSchema
{
    public const string Id = "Problem";

    public static OpenApiSchema Build() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error (RFC 9457 problem details, `application/problem+json`). `code` is the machine-readable reason.",
        Required = new HashSet<string>(StringComparer.Ordinal) { "type", "title", "status", "detail", "traceId", "code", "error", "message", "statusCode" },
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = Text("A URI reference naming the problem type (`about:blank` when the status says it all)."),
            ["title"] = Text("The status's short description."),
            ["status"] = Status("The HTTP status code."),
            ["detail"] = Text("What went wrong, for a person."),
            ["instance"] = Text("The request's path, when given."),
            ["traceId"] = Text("The request's W3C trace id: quote it when reporting a problem."),
            ["code"] = Text("Machine-readable reason, e.g. `not_found`, `validation_failed`, `email_taken`, `slot_conflict`, `version_mismatch`, "
                + "`rate_limited`, `temporarily_unavailable`, `change_in_doubt`. New codes may be added."),
            ["error"] = Text("The same as `title`."),
            ["message"] = Text("The same as `detail`."),
            ["statusCode"] = Status("The same as `status`."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Field (`name`, `workingHours.monday`, a query parameter) → what is wrong with it.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["conflictingEventId"] = Text("`slot_conflict`: the interview that holds the slot."),
            ["busyStartsAt"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "`calendar_busy`: start of the external busy time." },
            ["busyEndsAt"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "`calendar_busy`: end of the external busy time." },
            ["upcomingEventIds"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "`has_upcoming_events`, `bookings_outside_settings`: the interviews concerned.",
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
            },
            ["failedSession"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Minimum = "0",
                Description = "A panel booking: the index of the session that could not be booked (none was).",
            },
            ["interviewerId"] = Text("A panel booking: the interviewer of the session that could not be booked."),
        },
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Status(string description) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int32",
        Minimum = "400",
        Maximum = "599",
        Description = description,
    };
}
