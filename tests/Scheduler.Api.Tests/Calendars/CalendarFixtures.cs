using System.Globalization;

namespace Scheduler.Api.Tests.Calendars;

/// <summary>Calendar objects the tests store on Radicale, and the helpers that link and sync them.</summary>
internal static class CalendarFixtures
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public const string BerlinZone = """
        BEGIN:VTIMEZONE
        TZID:Europe/Berlin
        BEGIN:DAYLIGHT
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        TZNAME:CEST
        DTSTART:19700329T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        TZNAME:CET
        DTSTART:19701025T030000
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        END:STANDARD
        END:VTIMEZONE
        """;

    public static string Calendar(params string[] components) =>
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Scheduler tests//EN\n" + string.Join("\n", components) + "\nEND:VCALENDAR\n";

    public static string Event(string uid, string start, string end, string? extra = null) =>
        $"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20260101T000000Z\n{start}\n{end}\nSUMMARY:Private appointment\n{(extra is null ? "" : extra + "\n")}END:VEVENT";

    public static string Local(DateTime day, int hour) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + $"T{hour:00}0000";

    /// <summary>A wall-clock hour in Berlin on <paramref name="day"/> as UTC.</summary>
    public static DateTime BerlinUtc(DateTime day, int hour) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(day.Date.AddHours(hour), DateTimeKind.Unspecified), Berlin);

    public static async Task<string> NewBerlinInterviewer(HttpClient client) =>
        await Events.EventsApi.NewInterviewer(client, new { timezone = "Europe/Berlin" });

    public static async Task<JsonElement> Link(HttpClient client, string interviewerId, object body) =>
        await ApiAssert.Json(await client.PostAsJsonAsync($"/api/interviewers/{interviewerId}/calendars", body), HttpStatusCode.Created);

    public static async Task<JsonElement> SyncNow(HttpClient client, string interviewerId, string calendarId) =>
        await ApiAssert.Json(await client.PostAsync($"/api/interviewers/{interviewerId}/calendars/{calendarId}/sync", null), HttpStatusCode.OK);

    /// <summary>The free one-hour slots of the interviewer in [from, from + hours).</summary>
    public static async Task<IReadOnlyList<DateTime>> FreeHours(HttpClient client, string interviewerId, DateTime from, int hours = 24)
    {
        var url = $"/api/interviewers/{interviewerId}/availability?from={TestTime.Iso(from)}&to={TestTime.Iso(from.AddHours(hours))}&durationMinutes=60";
        var body = await ApiAssert.Json(await client.GetAsync(url), HttpStatusCode.OK);
        return [.. body.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("startsAt").GetDateTime().ToUniversalTime())];
    }
}
