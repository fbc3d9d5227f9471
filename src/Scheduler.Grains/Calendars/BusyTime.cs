using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using Scheduler.Events;
using Scheduler.Grains.Interviewers;
using Scheduler.Grains.Notifications;

namespace Scheduler.Grains.Calendars;

/// <summary>
/// The busy time in iCalendar objects (RFC 5545), as UTC blocks inside a window. Ical.Net expands RRULE, RDATE and
/// EXDATE and applies RECURRENCE-ID overrides, each in its own TZID; all-day and floating times are read in the
/// interviewer's zone (an all-day event blocks the interviewer's local day). Transparent and cancelled events, and
/// the interviews this service wrote itself (its UID), do not block. Expansion stops at the window's end and at
/// a maximum number of blocks.
/// </summary>
public static class BusyTime
{
    private static readonly string OwnUidSuffix = IcsCalendar.Uid("");
    private static readonly EvaluationOptions Evaluation = new() { MaxUnmatchedIncrementsLimit = 10_000 };

    public static IReadOnlyList<Slot> Read(IEnumerable<string> objects, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to, int maxBlocks)
    {
        var blocks = new List<Slot>();
        foreach (var text in objects)
        {
            var calendar = Calendar.Load(text) ?? throw new FormatException("The calendar data could not be read.");
            Collect(calendar, zone, from, to, maxBlocks, blocks);
        }
        return CalendarRules.Merge(blocks);
    }

    private static void Collect(Calendar calendar, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to, int maxBlocks, List<Slot> blocks)
    {
        // Start a day early in UTC: an all-day or floating occurrence is placed in the interviewer's zone below.
        var start = new CalDateTime(from.UtcDateTime.AddDays(-1), CalDateTime.UtcTzId);
        var end = new CalDateTime(to.UtcDateTime.AddDays(1), CalDateTime.UtcTzId);
        foreach (var occurrence in calendar.GetOccurrences<CalendarEvent>(start, Evaluation).TakeWhileBefore(end))
        {
            if (occurrence.Source is not CalendarEvent source || !Blocks(source))
            {
                continue;
            }
            var slot = Place(occurrence.Period, zone);
            if (slot.EndsAt <= from || slot.StartsAt >= to || slot.EndsAt <= slot.StartsAt)
            {
                continue;
            }
            if (blocks.Count >= maxBlocks)
            {
                throw new InvalidDataException($"The calendar has more than {maxBlocks} busy times in the window.");
            }
            blocks.Add(slot);
        }
    }

    private static bool Blocks(CalendarEvent source) =>
        !string.Equals(source.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(source.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase)
        && !(source.Uid?.EndsWith(OwnUidSuffix, StringComparison.Ordinal) ?? false);

    private static Slot Place(Period period, TimeZoneInfo zone)
    {
        var startTime = period.StartTime;
        var endTime = period.EffectiveEndTime ?? (startTime.HasTime ? startTime : startTime.AddDays(1));
        return new Slot(Instant(startTime, zone), Instant(endTime, zone));
    }

    // A time with a TZID or in UTC is an instant already; a date (all-day) or a floating time is the interviewer's wall clock.
    private static DateTimeOffset Instant(CalDateTime value, TimeZoneInfo zone) => value.IsFloating || !value.HasTime
        ? CalendarRules.ToUtc(value.Value, zone, earliest: true)
        : new DateTimeOffset(DateTime.SpecifyKind(value.AsUtc, DateTimeKind.Utc));
}
