using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Scheduler.Api.Auth;
using Scheduler.Common;
using Scheduler.Events;

namespace Scheduler.Api.Common;

/// <summary>The one mapping from exceptions to problem responses. Nothing else catches exceptions in the API.</summary>
internal sealed partial class DomainExceptionHandler(IProblemDetailsService problems, ILogger<DomainExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            NotFoundException e => Problem(StatusCodes.Status404NotFound, "Not Found", e.Message, e.Code),
            ConflictException e => Conflict(e),
            VersionMismatchException e => Problem(StatusCodes.Status412PreconditionFailed, "Precondition Failed", e.Message, e.Code),
            DomainValidationException e => new ValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Detail = e.Message,
                Extensions = { ["code"] = e.Code },
            },
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => Problem(e.StatusCode, "Payload Too Large", BadRequestDetail(e), "body_too_large"),
            BadHttpRequestException e when FieldOf(e) is { } field => new ValidationProblemDetails(new Dictionary<string, string[]> { [field.Name] = [field.Message] })
            {
                Status = e.StatusCode,
                Detail = field.Message,
                Extensions = { ["code"] = "bad_request" },
            },
            BadHttpRequestException e => Problem(e.StatusCode, "Bad Request", BadRequestDetail(e), "bad_request"),
            // The change may stand: a blind retry could make it twice (a second booking). Storage wraps what it
            // throws (Orleans' state bridge), so the chain is searched.
            _ when Find<ChangeInDoubtException>(exception) is { } doubt => InDoubt(httpContext, doubt.Message),
            // The database refused the write before anything of it was stored: safe to send again once it recovers.
            _ when Find<StorageUnavailableException>(exception) is not null => Unavailable(httpContext, StorageRetrySeconds,
                "The database cannot store changes at the moment; nothing of this request was stored. Try again later.", "storage_unavailable"),
            // A change that timed out, or whose silo died under it, may still have been made (a write queued behind a
            // stalled disk commits when the disk returns): in doubt, never "try again". Unless no call that could change
            // anything was sent yet (only reads before it): then nothing of the request ran.
            TimeoutException or SiloUnavailableException when !HttpMethods.IsGet(httpContext.Request.Method)
                && !HttpMethods.IsHead(httpContext.Request.Method) && ChangesSent.By(httpContext) => InDoubt(httpContext),
            // The cluster could not reach the grain (a silo died or is leaving) even after the retries, and nothing
            // was changed (a read, or a call refused before it ran): transient.
            OrleansMessageRejectionException or SiloUnavailableException or CallNotCarriedOutException or TimeoutException => Unavailable(httpContext, 1,
                "The cluster is moving this resource between servers; try again in a moment.", "temporarily_unavailable"),
            IdentityProviderUnavailableException e => Unavailable(httpContext, 30, e.Message, "identity_provider_unavailable"),
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Route}", httpContext.Request.Method, RouteOf(httpContext));
            problem = Problem(StatusCodes.Status500InternalServerError, "Internal Server Error", "An unexpected error occurred.", "internal_error");
        }
        else if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // Not the client's fault and not a bug, but an operator wants to see each one, with its cause.
            logger.LogWarning(exception, "{Method} {Route} answered 503 {Code}", httpContext.Request.Method, RouteOf(httpContext), problem.Extensions["code"]);
        }
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    // The route's template, never the path: a calendar feed's path is its credential (/calendar/{token}.ics). The
    // handler runs with the endpoint cleared; the feature keeps the one that threw.
    private static string RouteOf(HttpContext httpContext) =>
        (httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no endpoint)";

    /// <summary>Seconds a client is asked to wait before sending a change the database refused again.</summary>
    private const int StorageRetrySeconds = 5;

    // The grain that recorded the change says what stands and what is left (the message is written for the client).
    private static ProblemDetails InDoubt(HttpContext httpContext, string? detail = null) => Unavailable(httpContext, 1,
        detail ?? "The change may have been made but could not be confirmed; it is completed or undone within moments. Read the resource before retrying, or retry with the same Idempotency-Key.",
        "change_in_doubt");

    private static T? Find<T>(Exception? error) where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }
        }
        return null;
    }

    private static ProblemDetails Unavailable(HttpContext httpContext, int retryAfterSeconds, string detail, string code)
    {
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", detail, code);
    }

    /// <summary>
    /// What a client can send to get past a conflict, by its code: the grains speak of the domain, the API of its
    /// query flags. Each hint is appended to the grain's message.
    /// </summary>
    private static readonly Dictionary<string, string> ConflictHints = new(StringComparer.Ordinal)
    {
        [EventCodes.HasUpcomingEvents] = " Cancel them first, or send ?cancelUpcoming=true.",
        [EventCodes.BookingsOutsideSettings] = " Reschedule first, or send ?keepBookings=true to keep them as booked.",
        [EventCodes.CalendarBusy] = " Pick another time, or send ?ignoreCalendarBusy=true to book over it.",
    };

    private static ProblemDetails Conflict(ConflictException e)
    {
        var detail = ConflictHints.TryGetValue(e.Code, out var hint) ? e.Message + hint : e.Message;
        var problem = Problem(StatusCodes.Status409Conflict, "Conflict", detail, e.Code);
        if (e.ConflictingEventId is { } eventId)
        {
            problem.Extensions["conflictingEventId"] = eventId;
        }
        if (e.BusyInterval is { } busy)
        {
            problem.Extensions["busyStartsAt"] = busy.StartsAt.UtcDateTime;
            problem.Extensions["busyEndsAt"] = busy.EndsAt.UtcDateTime;
        }
        if (e.RelatedIds is { } related)
        {
            problem.Extensions["upcomingEventIds"] = related;
        }
        return problem;
    }

    private static ProblemDetails Problem(int status, string title, string detail, string code) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
        Extensions = { ["code"] = code },
    };

    /// <summary>
    /// The field a request could not be read into, for the problem's <c>errors</c>: a body member of the wrong type
    /// (by its JSON path), or a query or route value that is not of its parameter's type (by the framework's message,
    /// the only place it names the parameter; another message leaves the problem without <c>errors</c>).
    /// </summary>
    private static (string Name, string Message)? FieldOf(BadHttpRequestException exception)
    {
        // A syntax error also has a path, but it is the text that is broken, not the member: no field then. (The reader's
        // exception type is internal to System.Text.Json; a rename would show in the malformed-JSON test.)
        if (exception.InnerException is JsonException { Path: { Length: > 2 } path } json && path.StartsWith("$.", StringComparison.Ordinal)
            && json.InnerException?.GetType().Name != "JsonReaderException")
        {
            // Named as the validation rules name fields: workingHours.monday, not workingHours.monday[0].start.
            var end = path.IndexOf('[', StringComparison.Ordinal);
            var name = end < 0 ? path[2..] : path[2..end];
            return (name, json.InnerException switch
            {
                InstantFormatException reason => $"'{name}' {reason.Message}",
                // AllowDuplicateProperties = false: System.Text.Json says so only in its message.
                null when json.Message.Contains("uplicate", StringComparison.Ordinal) => $"'{name}' is given more than once.",
                _ => $"'{name}' has the wrong type or format.",
            });
        }
        var binding = UnboundParameter().Match(exception.Message);
        if (binding.Success)
        {
            // The framework names the handler's parameter, or for an [AsParameters] query the record's property (From):
            // the query names them in camelCase (from), as the validation rules do.
            var name = JsonNamingPolicy.CamelCase.ConvertName(binding.Groups["name"].Value);
            return binding.Groups["value"].Success
                ? (name, binding.Groups["type"].Value.Contains(nameof(Instant), StringComparison.Ordinal)
                    ? $"'{name}' {Instant.Expected}."
                    : $"'{binding.Groups["value"].Value}' is not a valid value for '{name}'.")
                : (name, $"'{name}' is required.");
        }
        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("""^(?:Failed to bind parameter "(?<type>[^"]*) (?<name>\w+)" from "(?<value>[^"]*)"|Required parameter "[^"]* (?<name>\w+)" was not provided)""")]
    private static partial System.Text.RegularExpressions.Regex UnboundParameter();

    private static string BadRequestDetail(BadHttpRequestException exception) => exception.InnerException switch
    {
        JsonException json => json.Path is { Length: > 0 } path
            ? $"The request body is not valid JSON, or a value has the wrong type (at {path})."
            : "The request body is not valid JSON.",
        _ when exception.Message.Contains("no body was provided", StringComparison.Ordinal) => "A JSON request body is required.",
        _ when exception.StatusCode == StatusCodes.Status413PayloadTooLarge => "The request body is larger than the limit (1 MiB).",
        _ => exception.Message,
    };
}
