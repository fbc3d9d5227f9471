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
    public const string Expected = "must be an ISO 8601 time with its UTC offset, such as 2026-03-01T09:00:00Z or 2026-03-01T10:00:00+01:00";

    public static bool TryParse(string? text, IFormatProvider? provider, out Instant instant)
    {
        instant = default;
        if (text is null || !HasOffset(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return false;
        }
        instant = new Instant(value);
        return true;
    }

    public static implicit operator DateTimeOffset(Instant instant) => instant.Value;

    /// <summary>Whether the time of day (after the 'T') ends in Z or carries a +/- offset.</summary>
    internal static bool HasOffset(ReadOnlySpan<char> text)
    {
        var time = text.IndexOfAny('T', 't');
        if (time < 0)
        {
            return false;
        }
        var clock = text[(time + 1)..];
        return clock.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || clock.IndexOfAny('+', '-') > 0;
    }
}

/// <summary>Reads <see cref="DateTimeOffset"/> body members as <see cref="Instant"/> does; writes them as usual.</summary>
public sealed class InstantJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value) && Instant.HasOffset(reader.GetString()))
        {
            return value;
        }
        // The path is added by the serializer; the reason travels as the inner exception (the problem's errors show it).
        throw new JsonException(null, new FormatException(Instant.Expected + "."));
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
