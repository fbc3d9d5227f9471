using System.Globalization;
using Microsoft.Net.Http.Headers;
using Scheduler.Api.OpenApi;

namespace Scheduler.Api.Common;

/// <summary>
/// The state version as a strong entity tag, and <c>If-Match</c> read back as an expected version, as RFC 9110 reads
/// it: a list matches when any of its tags does, <c>*</c> matches any current version, a weak tag never matches (the
/// comparison is strong), and a value that is not an entity-tag list is a 400.
/// </summary>
public static class ETags
{
    private const string IfMatchField = "If-Match";
    private static readonly object ResolvedVersion = new();

    public static void SetETag(this HttpResponse response, long version) =>
        response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>
    /// Null when there is no <c>If-Match</c> (or it is <c>*</c>); otherwise the version a change must find, or -1 when
    /// the header names none we could have issued (so the precondition fails).
    /// </summary>
    public static long? ExpectedVersion(this HttpRequest request)
    {
        if (request.HttpContext.Items.TryGetValue(ResolvedVersion, out var resolved))
        {
            return (long?)resolved;
        }
        return Versions(request) switch
        {
            null => null,
            [] => -1,
            var versions => versions[0],
        };
    }

    /// <summary>
    /// Checks <c>If-Match</c> before the handler runs, on the group's endpoints that accept it: a malformed value is a
    /// 400; a list of several versions is matched against the current one (<paramref name="currentVersion"/>), so the
    /// change expects the version that matched (or fails its precondition when none does).
    /// </summary>
    public static RouteGroupBuilder CheckIfMatch(this RouteGroupBuilder group, Func<IGrainFactory, string, Task<long?>> currentVersion)
    {
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            if (http.Request.Headers.IfMatch.Count == 0 || http.GetEndpoint()?.Metadata.GetMetadata<ContractMetadata>() is not { AcceptsIfMatch: true })
            {
                return await next(invocation);
            }
            if (!EntityTagHeaderValue.TryParseStrictList(http.Request.Headers.IfMatch, out var tags) || tags.Count == 0
                || (tags.Count > 1 && tags.Contains(EntityTagHeaderValue.Any)))
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { [IfMatchField] = ["'If-Match' must be * or a list of entity tags such as \"3\", \"4\"."] },
                    detail: "'If-Match' is not a valid entity-tag list.",
                    extensions: new Dictionary<string, object?> { ["code"] = "bad_request" });
            }
            if (Versions(http.Request) is { Count: > 1 } versions && http.GetRouteValue("id") is string id)
            {
                var current = await currentVersion(http.RequestServices.GetRequiredService<IGrainFactory>(), id);
                http.Items[ResolvedVersion] = current is { } version && versions.Contains(version) ? version : versions[0];
            }
            return await next(invocation);
        });
        return group;
    }

    /// <summary>Null: no header, or <c>*</c>. Otherwise the versions its strong tags name (none: nothing can match).</summary>
    private static List<long>? Versions(HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return null;
        }
        if (!EntityTagHeaderValue.TryParseList(header, out var tags) || tags.Count == 0)
        {
            return [];
        }
        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return null;
        }
        var versions = new List<long>(tags.Count);
        foreach (var tag in tags.Where(t => !t.IsWeak))
        {
            // Strong comparison is exact: "01" is not the tag "1" we issued.
            var text = tag.Tag.AsSpan().Trim('"');
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && text.SequenceEqual(version.ToString(CultureInfo.InvariantCulture)))
            {
                versions.Add(version);
            }
        }
        return versions;
    }
}
