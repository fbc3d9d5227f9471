using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Cluster;

/// <summary>Three silos on PostgreSQL; stops one of them, so it has a cluster of its own.</summary>
public sealed class ShutdownClusterFixture() : PostgreSqlClusterFixture(silos: 3);

public sealed class SiloShutdownTests(ShutdownClusterFixture fixture) : IClassFixture<ShutdownClusterFixture>
{
    [Fact]
    public async Task SiloStoppedGracefully_UnderReadsAndWrites_NoCallFails()
    {
        // Calls made by the primary silo itself, as the co-hosted API makes them (the silo's call filters apply).
        var grains = ((Orleans.TestingHost.InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider.GetRequiredService<IGrainFactory>();
        var names = new ConcurrentDictionary<string, string>();
        foreach (var n in Enumerable.Range(0, 60))
        {
            var id = await TestData.NewInterviewer(grains, TestData.Profile(name: $"Before {n}"));
            names[id] = $"Before {n}";
        }
        var failures = new ConcurrentBag<string>();
        var calls = 0;
        using var stop = new CancellationTokenSource();

        async Task Reader(int worker)
        {
            var random = new Random(worker);
            var ids = names.Keys.ToArray();
            while (!stop.IsCancellationRequested)
            {
                var id = ids[random.Next(ids.Length)];
                Interlocked.Increment(ref calls);
                try
                {
                    var read = await grains.GetGrain<IInterviewerGrain>(id).Get();
                    if (read?.Name != names[id])
                    {
                        failures.Add($"{id} read back as {read?.Name ?? "nothing"}");
                    }
                }
                catch (Exception error)
                {
                    failures.Add($"read {id}: {error.GetType().Name}: {error.Message}");
                }
            }
        }

        async Task Writer()
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref calls);
                try
                {
                    await TestData.NewInterviewer(grains, TestData.Profile(name: $"During {n++}"));
                }
                catch (Exception error)
                {
                    failures.Add($"create: {error.GetType().Name}: {error.Message}");
                }
            }
        }

        var load = Task.WhenAll([.. Enumerable.Range(0, 4).Select(Reader), Writer()]);
        await fixture.Cluster.StopSiloAsync(fixture.Cluster.SecondarySilos[0]);
        // Another 500 calls, which meet the stopped silo's grains re-activating on the others (at most 30 s).
        var target = Volatile.Read(ref calls) + 500;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref calls) < target && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        var made = Volatile.Read(ref calls);
        await stop.CancelAsync();
        await load;

        Assert.True(made >= target, $"the load stalled after the stop: {made - target + 500} of 500 calls in 30 s");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
    }
}
