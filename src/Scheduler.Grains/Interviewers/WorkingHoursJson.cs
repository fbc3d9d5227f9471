using System.Text;
using System.Text.Json;
using Scheduler.Common;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Interviewers;

/// <summary>Working hours as the API shows them: <c>{"monday":[{"start":"09:00","end":"17:00"}], …}</c>.</summary>
public static class WorkingHoursJson
{
    public static string? Write(WorkingHours? hours)
    {
        if (hours is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var day in WireNames.Weekdays.Values)
            {
                if (!hours.Days.TryGetValue(day, out var ranges))
                {
                    continue;
                }
                writer.WriteStartArray(WireNames.Weekdays.Name(day));
                foreach (var range in ranges)
                {
                    writer.WriteStartObject();
                    writer.WriteString("start", TimeRange.Format(range.StartMinute));
                    writer.WriteString("end", TimeRange.Format(range.EndMinute));
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static WorkingHours? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        var days = new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>();
        foreach (var day in document.RootElement.EnumerateObject())
        {
            var ranges = day.Value.EnumerateArray()
                .Select(r =>
                {
                    TimeRange.TryParse(r.GetProperty("start").GetString(), false, out var start);
                    TimeRange.TryParse(r.GetProperty("end").GetString(), true, out var end);
                    return new TimeRange(start, end);
                })
                .ToArray();
            days[Enum.Parse<DayOfWeek>(day.Name, ignoreCase: true)] = ranges;
        }
        return new WorkingHours(days);
    }
}
