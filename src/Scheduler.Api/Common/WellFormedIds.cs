namespace Scheduler.Api.Common;

/// <summary>
/// The well-formed-id check of a group's <c>{id}</c> routes, made once: a handler with an <c>id</c> parameter is not
/// called for an id that could not be one (<see cref="ResourceIds.IsWellFormed"/>), which answers the same 404 problem
/// as an id that names nothing. It runs after binding, as the handlers' own check did, so a malformed body still
/// answers 400 first. (A route constraint would answer a bare routing 404 without problem+json.)
/// </summary>
public static class WellFormedIds
{
    private const string IdParameter = "id";

    public static RouteGroupBuilder RequireWellFormedId(this RouteGroupBuilder group, string resource)
    {
        group.AddEndpointFilterFactory((context, next) =>
        {
            var index = Array.FindIndex(context.MethodInfo.GetParameters(), p => p.Name == IdParameter && p.ParameterType == typeof(string));
            return index < 0
                ? next
                : invocation => invocation.GetArgument<string>(index) is var id && !ResourceIds.IsWellFormed(id)
                    ? ValueTask.FromResult<object?>(ApiProblems.NotFound(resource, id))
                    : next(invocation);
        });
        return group;
    }
}
