namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>Two real silo processes on one PostgreSQL database, both with email on: each message goes out once.</summary>
public sealed class EmailClusterTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    [Fact]
    public async Task Bookings_OnTwoSilos_EachInvitationIsSentOnce()
    {
        using var smtp = new SmtpTestServer();
        await using var first = cluster.StartSilo(EmailKit.Settings(smtp, pollSeconds: "0.2"));
        await first.WaitUntilHealthy();
        await using var second = cluster.StartSilo(EmailKit.Settings(smtp, pollSeconds: "0.2"));
        await second.WaitUntilHealthy();
        using var a = await first.AdminClient();
        using var b = await second.AdminClient();

        var booked = await EmailKit.Book(8, n => n % 2 == 0 ? a : b);

        await smtp.WaitFor(EmailKit.About(booked), found => found.Count >= 16);
        // Once every message is recorded as sent, a second sender would have sent its copy already.
        await WaitForAllSent(a, booked);
        var delivered = smtp.Messages().Where(EmailKit.About(booked)).ToList();
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
