using System.Diagnostics;
using Scheduler.Users;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.CalendarFeeds;

/// <summary>What the calendar feed tests share: an interviewer with a feed, bookings, and an independent iCalendar parser.</summary>
internal static class CalendarFeedApi
{
    private const string Python = "/usr/bin/python3";

    // Debian's python3-icalendar: each VEVENT as {uid, sequence, status, start, end, summary, description}.
    private const string Parser = """
        import sys, json
        from icalendar import Calendar
        cal = Calendar.from_ical(sys.stdin.buffer.read())
        out = []
        for e in cal.walk('VEVENT'):
            out.append({
                'uid': str(e['UID']),
                'sequence': int(e.get('SEQUENCE', 0)),
                'status': str(e.get('STATUS', '')),
                'start': e.decoded('DTSTART').isoformat(),
                'end': e.decoded('DTEND').isoformat(),
                'summary': str(e.get('SUMMARY', '')),
                'description': str(e.get('DESCRIPTION', '')),
                'dtstamp': e.decoded('DTSTAMP').isoformat(),
                'lastModified': e.decoded('LAST-MODIFIED').isoformat(),
            })
        print(json.dumps({'refresh': str(cal.get('REFRESH-INTERVAL', '')), 'ttl': str(cal.get('X-PUBLISHED-TTL', '')), 'events': out}))
        """;

    public sealed record FeedEvent(string Uid, int Sequence, string Status, DateTimeOffset Start, DateTimeOffset End, string Summary, string Description);

    public sealed record ParsedFeed(string Refresh, string Ttl, IReadOnlyList<FeedEvent> Events)
    {
        public FeedEvent? Of(string eventId) => Events.SingleOrDefault(e => e.Uid == $"{eventId}@scheduler");
    }

    public static async Task<(HttpClient Staff, string InterviewerId, string FeedPath)> InterviewerWithFeed(SchedulerApiFactory factory)
    {
        var staff = await factory.ClientAs(Roles.Talent);
        var id = (await ApiAssert.Json(await staff.PostAsJsonAsync("/api/interviewers",
            new { name = "Feed Person", email = $"feed.{Guid.NewGuid():N}@example.com", timezone = "UTC" }), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        return (staff, id, await FeedPath(staff, id));
    }

    /// <summary>The path of the feed's URL (<c>/calendar/{token}.ics</c>), as its owner's staff see it.</summary>
    public static async Task<string> FeedPath(HttpClient client, string interviewerId, bool rotate = false)
    {
        var response = rotate
            ? await client.PostAsync($"/api/interviewers/{interviewerId}/calendar-feed/rotate", null)
            : await client.GetAsync($"/api/interviewers/{interviewerId}/calendar-feed");
        var body = await ApiAssert.Json(response, HttpStatusCode.OK);
        return new Uri(body.GetProperty("url").GetString()!).AbsolutePath;
    }

    public static object Booking(string interviewerId, DateTime start, string title = "Technical interview") => new
    {
        interviewerId,
        title,
        candidateName = "Casey Candidate",
        candidateEmail = "casey.candidate@example.com",
        startsAt = Iso(start),
        endsAt = Iso(start.AddHours(1)),
        meetingUrl = "https://meet.example.com/abc",
    };

    public static async Task<string> Book(HttpClient client, object booking) =>
        (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", booking), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    /// <summary>An hour on a day <paramref name="days"/> from now (10:00 UTC).</summary>
    public static DateTime InDays(int days) => DateTime.UtcNow.Date.AddDays(days).AddHours(10);

    public static async Task<string> Fetch(HttpClient anonymous, string feedPath)
    {
        var response = await anonymous.GetAsync(feedPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The feed as Debian's python3-icalendar reads it.</summary>
    public static async Task<ParsedFeed> Parse(string ics)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: the feed tests need Debian's python3-icalendar (apt-get install python3-icalendar).");
        }
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Parser);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(ics);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"python3-icalendar could not read the feed: {await error}");
        using var json = JsonDocument.Parse(await output);
        var root = json.RootElement;
        var events = root.GetProperty("events").EnumerateArray().Select(e => new FeedEvent(
            e.GetProperty("uid").GetString()!, e.GetProperty("sequence").GetInt32(), e.GetProperty("status").GetString()!,
            DateTimeOffset.Parse(e.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(e.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            e.GetProperty("summary").GetString()!, e.GetProperty("description").GetString()!)).ToArray();
        return new ParsedFeed(root.GetProperty("refresh").GetString()!, root.GetProperty("ttl").GetString()!, events);
    }
}
