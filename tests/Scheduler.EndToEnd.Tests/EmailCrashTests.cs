namespace Scheduler.EndToEnd.Tests;

/// <summary>The outbox under a crash: bookings acknowledged, the process killed before it dispatched them.</summary>
public sealed class EmailCrashTests
{
    [Fact]
    public async Task KillNine_BetweenTheChangeAndTheSend_EveryInvitationIsDeliveredAfterTheRestart_Once()
    {
        using var data = new TempDirectory();
        using var smtp = new SmtpTestServer();
        string[] booked;
        // The first process looks for work once, at start, and then not for an hour: it dies holding its outbox.
        await using (var service = SchedulerProcess.Start(data.Path, EmailKit.Settings(smtp, pollSeconds: "3600")))
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            booked = await EmailKit.Book(5, _ => client);
            await service.Kill();
        }
        Assert.Empty(smtp.Messages());

        await using var restarted = SchedulerProcess.Start(data.Path, EmailKit.Settings(smtp, pollSeconds: "0.2"));
        await restarted.WaitUntilHealthy();

        var delivered = await smtp.WaitFor(EmailKit.About(booked), found => found.Count >= 10);
        Assert.Equal(10, delivered.Count);
        Assert.Equal(10, delivered.Select(m => m.MessageId).Distinct().Count());
        Assert.All(booked, id => Assert.Equal(2, delivered.Count(m => m.MessageId!.StartsWith(id + ".invitation.0.", StringComparison.Ordinal))));
    }
}
