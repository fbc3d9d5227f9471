using System.Text;

namespace Scheduler.Common;

/// <summary>
/// Where a page ends in a list's order: the order it was taken in (<c>name</c>, <c>-startsAt</c>, …), the sort key of
/// its last row and that row's id. The next page starts after that (key, id) pair, so rows inserted meanwhile
/// shift nothing (unlike an offset). On the wire it is opaque: base64url of the three parts.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PageCursor(string Order, string Key, string Id)
{
    private const char Separator = '\n';

    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join(Separator, Order, Key, Id)))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static PageCursor? TryDecode(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 2000)
        {
            return null;
        }
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            return null;
        }
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        // The key (a name) may hold the separator itself; the order and the id never do.
        var first = decoded.IndexOf(Separator, StringComparison.Ordinal);
        var last = decoded.LastIndexOf(Separator);
        return first > 0 && last > first && last < decoded.Length - 1
            ? new PageCursor(decoded[..first], decoded[(first + 1)..last], decoded[(last + 1)..])
            : null;
    }
}
