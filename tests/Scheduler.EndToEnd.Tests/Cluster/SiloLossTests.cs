using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>
/// <c>kill -9</c> of one of three silos while clients read and write through the other two: no read fails (a read
/// that meets the dead silo's grains waits for the cluster to declare it dead), and a write fails only as
/// <c>change_in_doubt</c> or <c>temporarily_unavailable</c>.
/// </summary>
public sealed class SiloLossTests(ProcessCluster cluster, ITestOutputHelper output) : IClassFixture<ProcessCluster>
{
    [Fact]
    public async Task KillNine_OneOfThreeSilos_NoReadFails_WritesFailOnlyAsInDoubtOrUnavailable()
    {
        await using var first = cluster.StartSilo();
        await first.WaitUntilHealthy();
        await using var second = cluster.StartSilo();
        await using var third = cluster.StartSilo();
        await Task.WhenAll(second.WaitUntilHealthy(), third.WaitUntilHealthy());
        SchedulerProcess[] silos = [first, second, third];
        var clients = await Task.WhenAll(silos.Select(s => s.AdminClient()));

        // Interviewers created through every silo: their grains live all over the cluster, a third on the one killed.
        var interviewers = new ConcurrentBag<(string Id, string Email)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 60), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (n, _) =>
        {
            var email = $"loss{n}.{Guid.NewGuid():N}@example.com";
            var created = await clients[n % 3].PostAsJsonAsync("/api/interviewers", new { name = $"Loss {n}", email, skills = new[] { "loss" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            interviewers.Add(((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, email));
        });
        var all = interviewers.ToArray();
        // Activate every grain where the placement puts it (reads through each silo).
        foreach (var (id, _) in all)
        {
            Assert.Equal(HttpStatusCode.OK, (await clients[0].GetAsync($"/api/interviewers/{id}")).StatusCode);
        }

        var failedReads = new ConcurrentBag<string>();
        var writeFailures = new ConcurrentBag<string>();
        var reads = 0;
        var writes = 0;
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        await third.Kill();
        var killedAt = clock.Elapsed;
        var survivors = clients.Take(2).ToArray();

        async Task Reader(int seed)
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                var (id, _) = all[random.Next(all.Length)];
                var response = await survivors[random.Next(2)].GetAsync($"/api/interviewers/{id}");
                Interlocked.Increment(ref reads);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failedReads.Add($"{clock.Elapsed - killedAt:g}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        async Task Writer(int seed)
        {
            var random = new Random(seed);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var (id, email) = all[random.Next(all.Length)];
                var response = await survivors[random.Next(2)].PutAsJsonAsync($"/api/interviewers/{id}", new { name = $"Written {seed}.{n}", email, skills = new[] { "loss" } });
                Interlocked.Increment(ref writes);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    var code = response.StatusCode == HttpStatusCode.ServiceUnavailable ? JsonDocument.Parse(body).RootElement.GetProperty("code").GetString() : null;
                    writeFailures.Add(code is "change_in_doubt" or "temporarily_unavailable" ? code : $"{(int)response.StatusCode} {body}");
                }
            }
        }

        var load = Enumerable.Range(0, 4).Select(Reader).Concat(Enumerable.Range(100, 2).Select(Writer)).ToArray();
        var declared = await DeclaredDead(TimeSpan.FromSeconds(60));
        var declaredAfter = clock.Elapsed - killedAt;
        // Keep the load on for a while after the declaration: the grains move to the survivors.
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        output.WriteLine($"declared dead after {declaredAfter.TotalSeconds:0.0} s; {reads} reads, {writes} writes; write failures: "
            + string.Join(", ", writeFailures.GroupBy(f => f).Select(g => $"{g.Key} x{g.Count()}")));
        Assert.True(declared, "The killed silo was not declared dead within 60 s.");
        Assert.True(failedReads.IsEmpty, $"{failedReads.Count} of {reads} reads failed:\n{string.Join("\n", failedReads.Take(5))}");
        Assert.All(writeFailures, f => Assert.Contains(f, new[] { "change_in_doubt", "temporarily_unavailable" }));
    }

    /// <summary>Waits until the membership table marks a silo dead (status 6); false after <paramref name="timeout"/>.</summary>
    private async Task<bool> DeclaredDead(TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < timeout; await Task.Delay(100))
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 6", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return true;
            }
        }
        return false;
    }
}
