using System.Globalization;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>Timestamps in the read model: fixed-width UTC text that sorts as time does and reads back exactly.</summary>
public sealed class SqlTimeTests
{
    [Fact]
    public void ToText_AnyOffset_IsFixedWidthUtcToTheTick()
    {
        var value = new DateTimeOffset(2026, 11, 29, 12, 40, 57, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        Assert.Equal("2026-11-29T10:40:57.1234567Z", SqlTime.ToText(value));
    }

    [Fact]
    public void FromText_WrittenText_ReadsBackTheSameInstantInUtc()
    {
        var value = new DateTimeOffset(2026, 3, 1, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(9_999_999);

        var read = SqlTime.FromText(SqlTime.ToText(value));

        Assert.Equal(value, read);
        Assert.Equal(value.UtcTicks, read.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.Offset);
    }

    [Fact]
    public void ToText_LaterInstants_SortLaterAsText()
    {
        var times = Enumerable.Range(0, 50).Select(n => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(n * 987_654_321_987L)).ToArray();

        var sorted = times.Select(SqlTime.ToText).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(times.Select(SqlTime.ToText), sorted);
    }

    [Theory]
    [InlineData("2026-11-29 10:40:57")]
    [InlineData("not a time")]
    public void FromText_TextOfAnotherShape_IsRejected(string text) =>
        Assert.Throws<FormatException>(() => SqlTime.FromText(text));

    [Fact]
    public void FromText_TextWrittenByEarlierVersions_ReadsTheSame()
    {
        // Rows written before the "O" format was named carry the same characters (the custom format it replaced).
        var earlier = new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero), SqlTime.FromText(earlier));
    }
}
