using System.Globalization;
using static Scheduler.Testing.TestTime;

namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>Two real silo processes on one PostgreSQL database, both with email on: each message goes out once.</summary>
public sealed class EmailClusterTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    [Fact]
    public async Task Bookings_OnTwoSilos_EachInvitationIsSentOnce()
    {
        using var smtp = new SmtpTestServer();
        var email = new Dictionary<string, string?>
        {
            ["Email__Enabled"] = "true",
            ["Email__From"] = "scheduler@cluster.test",
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Email__PollSeconds"] = "0.2",
        };
        await using var first = cluster.StartSilo(email);
        await first.WaitUntilHealthy();
        await using var second = cluster.StartSilo(email);
        await second.WaitUntilHealthy();
        using var a = await first.AdminClient();
        using var b = await second.AdminClient();

        var interviewer = await a.PostAsJsonAsync("/api/interviewers",
            new { name = "Cluster Mail", email = $"cluster.mail.{Guid.NewGuid():N}@example.com", timezone = "UTC" });
        var interviewerId = (await interviewer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var monday = NextMonday().UtcDateTime;
        var booked = await Task.WhenAll(Enumerable.Range(0, 8).Select(async n =>
        {
            var start = monday.AddHours(9).AddMinutes(n * 60);
            var response = await (n % 2 == 0 ? a : b).PostAsJsonAsync("/api/events", new
            {
                interviewerId,
                title = $"Cluster interview {n}",
                candidateName = $"Candidate {n}",
                candidateEmail = $"candidate{n}@example.com",
                startsAt = Iso(start),
                endsAt = Iso(start.AddMinutes(45)),
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }));

        var ours = (Func<MimeKit.MimeMessage, bool>)(m => booked.Any(id => m.MessageId?.StartsWith(id + ".", StringComparison.Ordinal) == true));
        await smtp.WaitFor(ours, found => found.Count >= 16);
        // Once every message is recorded as sent, a second sender would have sent its copy already.
        await WaitForAllSent(a, booked);
        var delivered = smtp.Messages().Where(ours).ToList();
        Assert.Equal(16, delivered.Count);
        Assert.Equal(16, delivered.Select(m => m.MessageId).Distinct().Count());
    }

    private static async Task WaitForAllSent(HttpClient client, IEnumerable<string> events)
    {
        foreach (var id in events)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var page = await client.GetFromJsonAsync<JsonElement>($"/api/notifications?eventId={id}&status=sent");
                if (page.GetProperty("pagination").GetProperty("total").GetInt64() >= 2)
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"The invitations of {id} were not all recorded as sent.");
                await Task.Delay(100);
            }
        }
    }
}
