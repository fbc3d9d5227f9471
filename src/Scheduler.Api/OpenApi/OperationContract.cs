using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Scheduler.Api.Authorization;
using Scheduler.Api.Events;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Scheduler.Api.OpenApi;

/// <summary>
/// Writes, once for every operation, what its endpoint's metadata implies: the error statuses it can answer (all
/// <c>application/problem+json</c> with the one <see cref="ProblemSchema"/>), its headers, its security and its
/// parameters' limits. An endpoint declares only what its metadata cannot show (<see cref="ContractMetadata"/>).
/// </summary>
internal sealed class OperationContract : IOperationFilter
{
    private const string ProblemMediaType = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var contract = metadata.OfType<ContractMetadata>().FirstOrDefault() ?? new ContractMetadata();
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var hasPathParameters = context.ApiDescription.ParameterDescriptions.Any(p => p.Source == BindingSource.Path);
        operation.Responses ??= [];
        operation.Parameters ??= [];

        operation.Description ??= Audience(metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToArray(), secured);
        ParameterContract.Apply(operation, context);
        if (contract.AcceptsIfMatch)
        {
            operation.Parameters.Add(Header("If-Match",
                "Entity tags of the version this change applies to: one (`\"3\"`), a list (`\"3\", \"4\"`: any may match) or `*` (any "
                + "existing version). Compared strongly (a weak tag never matches). None matching: 412; not a valid entity-tag list: 400. "
                + "Without it the change applies to the current version.", maxLength: 1000));
        }
        if (contract.AcceptsIdempotencyKey)
        {
            operation.Parameters.Add(Header(EventsEndpoints.IdempotencyKeyHeader,
                "Any string (at most 200 characters) that names this booking: a retry with the same key and body returns the event "
                + "that request booked instead of booking twice; the same key with another body is 409 `idempotency_key_reused`.",
                maxLength: 200));
        }
        if (contract.Revalidates)
        {
            operation.Parameters.Add(Header("If-None-Match",
                "The `ETag` of a copy the caller holds (or a list of them, or `*`): when the content is still that, the answer is 304 "
                + "without a body.", maxLength: 1000));
        }
        if (operation.RequestBody is OpenApiRequestBody body)
        {
            body.Description ??= "JSON. Members not described here are ignored: they never reach the server's state (ids, versions "
                + "and timestamps are the server's). A member given twice is a 400.";
        }

        var responses = operation.Responses;
        if (operation.RequestBody is not null || operation.Parameters.Count > 0)
        {
            Problem(responses, 400, "The request is invalid: `errors` names each field (`code`: `validation_failed`, `bad_request`, or the rule's own).");
        }
        Problem(responses, 414, $"The path and query are longer than {SchedulerApiExtensions.MaxRequestTargetLength} characters (`code`: `uri_too_long`).");
        if (operation.RequestBody is not null)
        {
            Problem(responses, 413, "The body is larger than 1 MiB (`code`: `body_too_large`).");
            Problem(responses, 415, "The body is not JSON (`code`: `unsupported_media_type`).");
        }
        if (hasPathParameters)
        {
            Problem(responses, 404, "No such resource, or one the caller may not see (`code`: `not_found`).");
        }
        if (secured)
        {
            Problem(responses, 401, "No valid bearer token, or its session has ended (`code`: `unauthorized`).");
            Problem(responses, 403, "The caller's role or ownership does not allow this (`code`: `forbidden`).");
        }
        // Every request is rate-limited: a signed-in one per user, any other per client address.
        Problem(responses, 429, "Too many requests: wait `Retry-After` seconds (`code`: `rate_limited`).", RetryAfter());
        if (contract.AcceptsIfMatch)
        {
            Problem(responses, 412, "`If-Match` names no tag of the current version (`code`: `version_mismatch`).");
        }
        if (contract.ConflictCodes.Count > 0)
        {
            Problem(responses, 409, "The change conflicts with the current state (`code`: "
                + string.Join(", ", contract.ConflictCodes.Select(c => $"`{c}`")) + ").");
        }
        Problem(responses, 503, contract.ChangesBooking
            ? "`temporarily_unavailable`: a server of the cluster could not be reached, nothing changed; retry after `Retry-After`. "
              + "`change_in_doubt`: the change, or a part of it, may have been made (`detail` says what stands); a booking's is "
              + "completed or undone within moments. Read the resource (or retry with the same `Idempotency-Key`) rather than send it again."
            : "A server of the cluster could not be reached; nothing changed, retry after `Retry-After` (`code`: `temporarily_unavailable`"
              + (context.ApiDescription.RelativePath?.Contains("oidc", StringComparison.Ordinal) == true ? ", `identity_provider_unavailable`" : "") + ").",
            RetryAfter());

        if (contract.Revalidates)
        {
            responses["304"] = new OpenApiResponse { Description = "Not Modified: the caller's copy (`If-None-Match`) is current." };
        }
        foreach (var (status, response) in responses)
        {
            if (response is not OpenApiResponse concrete || !int.TryParse(status, out var code))
            {
                continue;
            }
            if (string.IsNullOrEmpty(concrete.Description))
            {
                concrete.Description = ReasonPhrases.GetReasonPhrase(code);
            }
            if (code >= 400)
            {
                // ProducesProblem and ValidationProblem describe ProblemDetails types: every error is the one problem schema.
                concrete.Content = new Dictionary<string, IOpenApiMediaType>
                {
                    [ProblemMediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema.Id, context.Document) },
                };
            }
            else if (contract.Revalidates && code is 200 or 304)
            {
                AddHeader(concrete, "ETag", "An entity tag of the content: send it back in `If-None-Match` to get a 304 while it is unchanged.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[0-9a-f]+\"$" });
            }
            else if (code is >= 200 and < 300)
            {
                if (contract.SendsETag)
                {
                    AddHeader(concrete, "ETag", "The resource's version as a strong entity tag (`\"3\"`): send it back in `If-Match`.",
                        new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[0-9]+\"$" });
                }
                if (code == 201)
                {
                    AddHeader(concrete, "Location", "The new resource's path.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" });
                }
            }
        }

        operation.Security = secured
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeId, context.Document)] = [] }]
            : [];
    }

    public const string SecuritySchemeId = "Bearer";

    /// <summary>Who may call it, from the policies its endpoint requires (the strictest wins).</summary>
    private static string Audience(string?[] policies, bool secured) =>
        !secured ? "Anonymous: no token is needed."
        : policies.Contains(Policies.Admin) ? "Admins only."
        : policies.Contains(Policies.Talent) ? "Admins and recruiters (role `talent`)."
        : "Any signed-in user (the `interviewer` role sees and edits only its own schedule and profile).";

    private static OpenApiParameter Header(string name, string description, int maxLength) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength },
    };

    private static OpenApiHeader RetryAfter() => new()
    {
        Description = "Seconds to wait before retrying.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
    };

    private static void Problem(OpenApiResponses responses, int status, string description, OpenApiHeader? retryAfter = null)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!responses.TryGetValue(key, out var existing) || existing is not OpenApiResponse response)
        {
            response = new OpenApiResponse();
            responses[key] = response;
        }
        response.Description = description;
        if (retryAfter is not null)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Retry-After"] = retryAfter;
        }
    }

    private static void AddHeader(OpenApiResponse response, string name, string description, OpenApiSchema schema)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Required = true, Schema = schema };
    }
}
