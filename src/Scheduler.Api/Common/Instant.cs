using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scheduler.Api.Common;

/// <summary>
/// An instant as the API accepts it: ISO 8601 with its UTC offset (<c>2026-03-01T09:00:00Z</c> or <c>…+01:00</c>). A time
/// without one is refused: .NET would read it in the server's time zone, so the same request would book different
/// instants on a laptop in Berlin and on a server in UTC. Query values bind through <see cref="TryParse"/>; bodies through
/// <see cref="InstantJsonConverter"/>.
/// </summary>
public readonly record struct Instant(DateTimeOffset Value)
{
    public const string Expected =
        "must be an ISO 8601 time with its UTC offset, such as 2026-03-01T09:00:00Z or 2026-03-01T10:00:00+01:00 (in a query, + is written %2B)";

    // Strict ISO 8601 with an offset: Z (UTC) or +hh:mm / -hh:mm; seconds and their fraction optional.
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz",
    ];

    public static bool TryParse(string? text, IFormatProvider? provider, out Instant instant)
    {
        // A literal Z is UTC; an explicit offset wins over AssumeUniversal.
        var parsed = DateTimeOffset.TryParseExact(Rfc3339(text), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value);
        instant = parsed ? new Instant(value) : default;
        return parsed;
    }

    /// <summary>
    /// RFC 3339 as other platforms write it, in the spelling the formats read: <c>t</c> and <c>z</c> in either case, and a
    /// fraction of more than 7 digits (Java's <c>Instant.toString()</c>, Go's <c>RFC3339Nano</c>: 9) cut to .NET's 100 ns.
    /// </summary>
    private static string? Rfc3339(string? text)
    {
        const int TimeSeparator = 10, FractionDot = 19, KeptDigits = 7;
        if (text is not { Length: > TimeSeparator } || text[TimeSeparator] is not ('t' or 'T'))
        {
            return text;
        }
        var result = new System.Text.StringBuilder(text) { [TimeSeparator] = 'T' };
        if (result[^1] == 'z')
        {
            result[^1] = 'Z';
        }
        if (text.Length > FractionDot && text[FractionDot] == '.')
        {
            var end = FractionDot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }
            var digits = end - FractionDot - 1;
            if (digits > KeptDigits)
            {
                result.Remove(FractionDot + 1 + KeptDigits, digits - KeptDigits);
            }
        }
        return result.ToString();
    }

    public static implicit operator DateTimeOffset(Instant instant) => instant.Value;
}

/// <summary>Why a body's time was refused: its message is the problem's, for the field that carried it.</summary>
public sealed class InstantFormatException() : FormatException(Instant.Expected + ".");

/// <summary>Reads <see cref="DateTimeOffset"/> body members as <see cref="Instant"/> does; writes them as usual.</summary>
public sealed class InstantJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && Instant.TryParse(reader.GetString(), null, out var instant))
        {
            return instant.Value;
        }
        // The path is added by the serializer; the reason travels as the inner exception (the problem's errors show it).
        throw new JsonException(null, new InstantFormatException());
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
