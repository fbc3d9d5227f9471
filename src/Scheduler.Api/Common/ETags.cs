using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Scheduler.Api.Common;

/// <summary>The state version as a strong entity tag, and <c>If-Match</c> read back as an expected version.</summary>
public static class ETags
{
    public static void SetETag(this HttpResponse response, long version) =>
        response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>
    /// Null when there is no <c>If-Match</c> (or it is <c>*</c>); otherwise the version it names,
    /// or -1 when it names none we could have issued (so the precondition fails).
    /// </summary>
    public static long? ExpectedVersion(this HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return null;
        }
        if (!EntityTagHeaderValue.TryParseList(header, out var tags) || tags.Count == 0)
        {
            return -1;
        }
        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return null;
        }
        // Strong comparison is exact: "01" is not the tag "1" we issued.
        var tag = tags[0].Tag.AsSpan().Trim('"');
        return !tags[0].IsWeak && long.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && tag.SequenceEqual(version.ToString(CultureInfo.InvariantCulture)) ? version : -1;
    }
}
