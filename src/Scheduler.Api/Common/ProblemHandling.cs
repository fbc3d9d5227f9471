using System.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace Scheduler.Api.Common;

public static class ProblemHandling
{
    /// <summary>
    /// Every error body is RFC 9457 problem+json, plus the members the SPA reads: <c>error</c> (= title),
    /// <c>message</c> (= detail) and <c>statusCode</c> (= status), and the <c>traceId</c>.
    /// </summary>
    public static IServiceCollection AddSchedulerProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Status ??= context.HttpContext.Response.StatusCode;
            problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
            problem.Detail ??= DefaultDetail(problem.Status.Value) ?? problem.Title;
            // Every problem names its reason for a program, as the OpenAPI document's problem schema promises.
            problem.Extensions.TryAdd("code", DefaultCode(problem.Status.Value, problem is HttpValidationProblemDetails));
            problem.Type ??= problem.Status == StatusCodes.Status429TooManyRequests
                ? "https://www.rfc-editor.org/rfc/rfc6585#section-4"
                : "about:blank";
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            problem.Extensions["error"] = problem.Title;
            problem.Extensions["message"] = problem.Detail ?? problem.Title;
            problem.Extensions["statusCode"] = problem.Status;
        });
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.AddSingleton<IOutgoingGrainCallFilter, ChangesSent>();
        return services;
    }

    private static string DefaultCode(int status, bool fieldErrors) => status switch
    {
        StatusCodes.Status400BadRequest => fieldErrors ? "validation_failed" : "bad_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status413PayloadTooLarge => "body_too_large",
        StatusCodes.Status414UriTooLong => "uri_too_long",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        StatusCodes.Status503ServiceUnavailable => "temporarily_unavailable",
        _ => status >= 500 ? "internal_error" : "http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string? DefaultDetail(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "A valid bearer token is required.",
        StatusCodes.Status403Forbidden => "You are not allowed to do this.",
        StatusCodes.Status404NotFound => "The resource was not found.",
        StatusCodes.Status405MethodNotAllowed => "The method is not allowed on this resource.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON (Content-Type: application/json).",
        _ => null,
    };
}
