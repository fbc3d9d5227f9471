using Scheduler.Api.Live;

namespace Scheduler.Api.Auth;

/// <summary>
/// Where a request's access token is: the <c>Authorization: Bearer</c> header; on the live-update hub's path only,
/// also the <c>access_token</c> query parameter, since a browser cannot set headers on a WebSocket (the SignalR
/// convention). Anywhere else a token in the query is ignored, so it is not copied into links, logs and histories.
/// </summary>
public static class BearerToken
{
    public const string QueryParameter = "access_token";

    private const string Prefix = "Bearer ";

    public static string? Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[Prefix.Length..].Trim();
        }
        return request.Path.StartsWithSegments(SchedulerHub.Path) && request.Query[QueryParameter].ToString() is { Length: > 0 } token ? token : null;
    }
}
