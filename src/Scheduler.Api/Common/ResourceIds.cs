namespace Scheduler.Api.Common;

public static class ResourceIds
{
    /// <summary>Ids are server-generated (32 hex digits); a path segment that could not be one never reaches a grain.</summary>
    public static bool IsWellFormed(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string New() => Guid.CreateVersion7().ToString("N");
}
