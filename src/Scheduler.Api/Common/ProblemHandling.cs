using System.Diagnostics;

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
            problem.Detail ??= DefaultDetail(problem.Status.Value);
            problem.Type ??= problem.Status == StatusCodes.Status429TooManyRequests
                ? "https://www.rfc-editor.org/rfc/rfc6585#section-4"
                : "about:blank";
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            problem.Extensions["error"] = problem.Title;
            problem.Extensions["message"] = problem.Detail ?? problem.Title;
            problem.Extensions["statusCode"] = problem.Status;
        });
        services.AddExceptionHandler<DomainExceptionHandler>();
        return services;
    }

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
