using System.Globalization;
using static Scheduler.Testing.TestTime;

namespace Scheduler.EndToEnd.Tests;

/// <summary>The outbox under a crash: bookings acknowledged, the process killed before it dispatched them.</summary>
public sealed class EmailCrashTests
{
    [Fact]
    public async Task KillNine_BetweenTheChangeAndTheSend_EveryInvitationIsDeliveredAfterTheRestart_Once()
    {
        using var data = new TempDirectory();
        using var smtp = new SmtpTestServer();
        var email = new Dictionary<string, string?>
        {
            ["Email__Enabled"] = "true",
            ["Email__From"] = "scheduler@e2e.test",
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            // The first process looks for work once, at start, and then not for an hour: it dies holding its outbox.
            ["Email__PollSeconds"] = "3600",
        };
        var booked = new List<string>();
        await using (var service = SchedulerProcess.Start(data.Path, email))
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            var interviewer = await client.PostAsJsonAsync("/api/interviewers",
                new { name = "Crash Mail", email = $"crash.mail.{Guid.NewGuid():N}@example.com", timezone = "UTC" });
            var interviewerId = (await interviewer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var monday = NextMonday().UtcDateTime;
            for (var n = 0; n < 5; n++)
            {
                var start = monday.AddHours(9 + n);
                var response = await client.PostAsJsonAsync("/api/events", new
                {
                    interviewerId,
                    title = $"Crash interview {n}",
                    candidateName = $"Candidate {n}",
                    candidateEmail = $"candidate{n}@example.com",
                    startsAt = Iso(start),
                    endsAt = Iso(start.AddMinutes(45)),
                });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                booked.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }
            await service.Kill();
        }
        Assert.Empty(smtp.Messages());

        email["Email__PollSeconds"] = "0.2";
        await using var restarted = SchedulerProcess.Start(data.Path, email);
        await restarted.WaitUntilHealthy();

        var delivered = await smtp.WaitFor(m => booked.Any(id => m.MessageId?.StartsWith(id + ".", StringComparison.Ordinal) == true), found => found.Count >= 10);
        Assert.Equal(10, delivered.Count);
        Assert.Equal(10, delivered.Select(m => m.MessageId).Distinct().Count());
        Assert.All(booked, id => Assert.Equal(2, delivered.Count(m => m.MessageId!.StartsWith(id + ".invitation.0.", StringComparison.Ordinal))));
    }
}
