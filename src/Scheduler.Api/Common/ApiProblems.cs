using Microsoft.AspNetCore.Http.HttpResults;

namespace Scheduler.Api.Common;

public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string resource, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
            detail: $"{resource} '{id}' was not found.", extensions: new Dictionary<string, object?> { ["code"] = "not_found" });
}
