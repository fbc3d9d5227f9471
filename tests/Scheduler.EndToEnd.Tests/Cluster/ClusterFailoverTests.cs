using System.Collections.Concurrent;

namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>Three real silo processes on loopback ports, one PostgreSQL database, membership in it.</summary>
public sealed class ClusterFailoverTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    private SchedulerProcess StartSilo() => cluster.StartSilo();

    [Fact]
    public async Task KillNine_OneOfThreeSilos_UnderLoad_LosesNoAcknowledgedWrite_AndTheRestartedSiloServes()
    {
        await using var first = StartSilo();
        await first.WaitUntilHealthy(); // creates the schema and the admin before the others start
        await using var second = StartSilo();
        await using var third = StartSilo();
        await Task.WhenAll(second.WaitUntilHealthy(), third.WaitUntilHealthy());
        SchedulerProcess[] silos = [first, second, third];
        // Longer than a grain call may wait for the dead silo (Orleans' 30 s response timeout, then a 5xx problem): a
        // slow answer of a live silo on a loaded machine is an answer, not a client timeout.
        var clients = await Task.WhenAll(silos.Select(s => s.AdminClient(TimeSpan.FromSeconds(90))));

        var acknowledged = new ConcurrentDictionary<string, string>();
        var failedBeforeKill = new ConcurrentBag<string>();
        var killed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 90), new ParallelOptions { MaxDegreeOfParallelism = 9 }, async (n, _) =>
        {
            if (n == 45 && Interlocked.Exchange(ref killed, 1) == 0)
            {
                await third.Kill();
            }
            var target = n % 3;
            var email = $"cluster{n}.{Guid.NewGuid():N}@example.com";
            try
            {
                var response = await clients[target].PostAsJsonAsync("/api/interviewers", new { name = $"Cluster {n}", email, skills = new[] { "failover" } });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged[(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!] = $"Cluster {n}";
                }
                else if (Volatile.Read(ref killed) == 0)
                {
                    // Before the kill, nothing may fail.
                    failedBeforeKill.Add($"silo {target + 1}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else if (target != 2)
                {
                    // A live silo may fail a call to a grain whose silo just died, but as a problem response, not a hang.
                    Assert.True((int)response.StatusCode >= 500, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && target == 2 && Volatile.Read(ref killed) == 1)
            {
                // sent to the silo that was killed (refused, reset, or never answered): never acknowledged
            }
        });

        Assert.True(failedBeforeKill.IsEmpty, string.Join("\n", failedBeforeKill.Take(5)));
        Assert.True(acknowledged.Count >= 45, $"only {acknowledged.Count} writes were acknowledged");
        // Every acknowledged write is readable through both survivors once the dead silo's grains live elsewhere.
        foreach (var client in clients.Take(2))
        {
            foreach (var (id, name) in acknowledged)
            {
                var body = await Eventually(() => client.GetAsync($"/api/interviewers/{id}"));
                Assert.Equal(name, body.GetProperty("name").GetString());
            }
        }
        var listed = await clients[0].GetFromJsonAsync<JsonElement>("/api/interviewers?skill=failover&limit=100");
        Assert.Subset(listed.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToHashSet(), acknowledged.Keys.ToHashSet());

        // The killed silo comes back (new process, new ports) and serves what the others wrote.
        await using var restarted = StartSilo();
        await restarted.WaitUntilHealthy();
        using var again = await restarted.AdminClient();
        foreach (var (id, name) in acknowledged)
        {
            var body = await Eventually(() => again.GetAsync($"/api/interviewers/{id}"));
            Assert.Equal(name, body.GetProperty("name").GetString());
        }
        var created = await again.PostAsJsonAsync("/api/interviewers", new { name = "After restart", email = $"after.{Guid.NewGuid():N}@example.com" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    /// <summary>
    /// Retries a read that meets the dead silo's grains before the cluster has declared it dead (a 5xx problem),
    /// for at most 60 s; returns the 200 body.
    /// </summary>
    private static async Task<JsonElement> Eventually(Func<Task<HttpResponseMessage>> request)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await request();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }
            Assert.True((int)response.StatusCode >= 500 && DateTime.UtcNow < deadline, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }
}
