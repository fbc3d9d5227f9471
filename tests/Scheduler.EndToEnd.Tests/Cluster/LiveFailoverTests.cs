namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>A listener's silo is killed: it reconnects to the other and replays from its last position.</summary>
public sealed class LiveFailoverTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    [Fact]
    public async Task KillingTheListenersSilo_ItReconnectsToTheOther_AndCatchesUpMissingNothing()
    {
        await using var a = cluster.StartSilo();
        await a.WaitUntilHealthy();
        await using var b = cluster.StartSilo();
        await b.WaitUntilHealthy();
        using var admin = await a.AdminClient(TimeSpan.FromSeconds(90));
        var interviewer = await LiveKit.NewInterviewer(admin);
        await using var listener = await LiveListener.Connect([b.BaseAddress, a.BaseAddress], () => Task.FromResult<string?>(LiveKit.Token(admin)));
        var before = await LiveKit.Book(admin, interviewer);
        await listener.WaitFor(m => LiveKit.About(m, before), TimeSpan.FromSeconds(30));

        await b.Kill();
        var booked = new List<string>();
        for (var n = 0; n < 5; n++)
        {
            booked.Add(await LiveKit.Book(admin, interviewer, retryFor: TimeSpan.FromSeconds(90)));
        }
        await listener.WaitFor(m => LiveKit.About(m, booked[^1]), TimeSpan.FromSeconds(60));

        Assert.True(listener.Reconnects >= 1);
        var heard = listener.Heard;
        Assert.All(booked, id => Assert.Contains(heard, m => LiveKit.About(m, id)));
        var positions = heard.Select(LiveKit.Position).ToArray();
        Assert.Equal(positions.Order().Distinct(), positions);
    }
}
