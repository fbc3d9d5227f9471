using System.Globalization;
using static Scheduler.Testing.TestTime;

namespace Scheduler.EndToEnd.Tests;

/// <summary>What the email and write-back end-to-end tests share: the settings of a process that sends to a test SMTP server, and bookings.</summary>
internal static class EmailKit
{
    public static Dictionary<string, string?> Settings(SmtpTestServer smtp, string pollSeconds) => new()
    {
        ["Email__Enabled"] = "true",
        ["Email__From"] = "scheduler@e2e.test",
        ["Email__Smtp__Host"] = "127.0.0.1",
        ["Email__Smtp__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Email__PollSeconds"] = pollSeconds,
    };

    /// <summary>An interviewer in UTC and <paramref name="count"/> interviews, an hour apart from 09:00 on a Monday ahead; their ids.</summary>
    public static async Task<string[]> Book(int count, Func<int, HttpClient> clientFor) =>
        await Book(await NewInterviewer(clientFor(0)), count, clientFor);

    /// <summary>A new interviewer in UTC; its id.</summary>
    public static async Task<string> NewInterviewer(HttpClient client)
    {
        var interviewer = await client.PostAsJsonAsync("/api/interviewers",
            new { name = "Mail Person", email = $"mail.person.{Guid.NewGuid():N}@example.com", timezone = "UTC" });
        Assert.Equal(HttpStatusCode.Created, interviewer.StatusCode);
        return (await interviewer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary><paramref name="count"/> interviews with <paramref name="interviewerId"/>, an hour apart from 09:00 on a Monday ahead; their ids.</summary>
    public static async Task<string[]> Book(string interviewerId, int count, Func<int, HttpClient> clientFor)
    {
        var monday = NextMonday().UtcDateTime;
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async n =>
        {
            var start = monday.AddHours(9 + n);
            var response = await clientFor(n).PostAsJsonAsync("/api/events", new
            {
                interviewerId,
                title = $"Interview {n}",
                candidateName = $"Candidate {n}",
                candidateEmail = $"candidate{n}@example.com",
                startsAt = Iso(start),
                endsAt = Iso(start.AddMinutes(45)),
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }));
    }

    /// <summary>The messages about any of <paramref name="events"/> (their Message-ID starts with the event's id).</summary>
    public static Func<MimeKit.MimeMessage, bool> About(IReadOnlyCollection<string> events) =>
        message => events.Any(id => message.MessageId?.StartsWith(id + ".", StringComparison.Ordinal) == true);
}
