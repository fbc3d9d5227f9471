using System.Globalization;

namespace Scheduler.Testing;

/// <summary>Times for tests: a fixed weekday in the future, and the wire format of a time.</summary>
public static class TestTime
{
    /// <summary>A Monday at least a week ahead, at midnight UTC: a fixed weekday for working-hours tests.</summary>
    public static DateTimeOffset NextMonday()
    {
        var day = DateTimeOffset.UtcNow.Date.AddDays(7);
        while (day.DayOfWeek != DayOfWeek.Monday)
        {
            day = day.AddDays(1);
        }
        return new DateTimeOffset(day, TimeSpan.Zero);
    }

    /// <summary>A UTC time as the API writes it, to the second: <c>2030-03-04T15:00:00Z</c>.</summary>
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
