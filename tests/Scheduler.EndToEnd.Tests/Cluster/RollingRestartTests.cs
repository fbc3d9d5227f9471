using System.Collections.Concurrent;

namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>
/// Three real silo processes on PostgreSQL, restarted one at a time (SIGTERM, then a new process) while clients
/// keep writing and reading through every silo that is up, as a load balancer following readiness would.
/// </summary>
public sealed class RollingRestartTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    // Readiness turns 503 at SIGTERM; the silo keeps serving this long before it stops taking requests.
    private SchedulerProcess StartSilo() => cluster.StartSilo(new Dictionary<string, string?> { ["Shutdown__DrainSeconds"] = "2" });

    [Fact]
    public async Task RollingRestart_UnderLoad_FailsNoRequestSentToALiveSilo_AndLosesNoAcknowledgedWrite()
    {
        var first = StartSilo();
        await first.WaitUntilHealthy(); // creates the schema and the admin before the others start
        var others = new[] { StartSilo(), StartSilo() };
        await Task.WhenAll(others.Select(s => s.WaitUntilHealthy()));
        var silos = new[] { first, others[0], others[1] };
        var clients = await Task.WhenAll(silos.Select(s => s.AdminClient()));
        var up = new[] { true, true, true };
        // Requests sent to each silo and not yet answered: a silo is stopped only once none is left, as a load
        // balancer drains a backend before it is taken down.
        var inFlight = new int[3];
        var gate = new object();

        var acknowledged = new ConcurrentDictionary<string, string>();
        var failures = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var sent = 0;

        async Task Client(int worker)
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                int target;
                HttpClient client;
                lock (gate)
                {
                    var live = Enumerable.Range(0, 3).Where(i => up[i]).ToArray();
                    target = live[random.Next(live.Length)];
                    client = clients[target];
                    inFlight[target]++;
                }
                var n = Interlocked.Increment(ref sent);
                try
                {
                    if (n % 3 != 0 || acknowledged.IsEmpty)
                    {
                        var name = $"Rolling {n}";
                        var response = await client.PostAsJsonAsync("/api/interviewers",
                            new { name, email = $"rolling{n}.{Guid.NewGuid():N}@example.com", skills = new[] { "rolling" } });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged[(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!] = name;
                        }
                        else
                        {
                            failures.Add($"POST to silo {target}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }
                    }
                    else
                    {
                        var (id, name) = acknowledged.ElementAt(random.Next(acknowledged.Count));
                        var response = await client.GetAsync($"/api/interviewers/{id}");
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            failures.Add($"GET to silo {target}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }
                        else if ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString() != name)
                        {
                            failures.Add($"GET to silo {target}: {id} does not read back as acknowledged");
                        }
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    failures.Add($"request to silo {target}: {error.GetType().Name}: {error.Message}");
                }
                finally
                {
                    lock (gate)
                    {
                        inFlight[target]--;
                    }
                }
            }
        }

        var load = Task.WhenAll(Enumerable.Range(0, 6).Select(Client));
        try
        {
            for (var i = 0; i < 3; i++)
            {
                await WaitForMoreAcknowledged(acknowledged, 20);
                lock (gate)
                {
                    up[i] = false; // the load balancer stops choosing it (it sees readiness turn 503)
                }
                await WaitUntil(() =>
                {
                    lock (gate)
                    {
                        return inFlight[i] == 0;
                    }
                }, $"requests to silo {i} still unanswered");
                silos[i].Terminate();
                Assert.Equal(0, await silos[i].WaitForExit(TimeSpan.FromSeconds(60)));
                await silos[i].DisposeAsync();

                silos[i] = StartSilo();
                await silos[i].WaitUntilHealthy();
                var client = await silos[i].AdminClient();
                lock (gate)
                {
                    clients[i].Dispose();
                    clients[i] = client;
                    up[i] = true;
                }
            }
            await WaitForMoreAcknowledged(acknowledged, 20);
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)) + "\n" + string.Join("\n",
            cluster.Processes.SelectMany(p => p.Output.Split('\n')).Where(line => line.Contains("Exception", StringComparison.Ordinal)).Take(20)));
        Assert.True(acknowledged.Count >= 80, $"only {acknowledged.Count} writes were acknowledged");
        // Every acknowledged write is readable through every silo of the restarted cluster.
        foreach (var client in clients)
        {
            foreach (var (id, name) in acknowledged)
            {
                var body = await client.GetFromJsonAsync<JsonElement>($"/api/interviewers/{id}");
                Assert.Equal(name, body.GetProperty("name").GetString());
            }
        }
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(10);
        }
    }

    /// <summary>Waits (at most 60 s) until the load has had <paramref name="more"/> further writes acknowledged.</summary>
    private static async Task WaitForMoreAcknowledged(ConcurrentDictionary<string, string> acknowledged, int more)
    {
        var target = acknowledged.Count + more;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (acknowledged.Count < target)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the load stalled at {acknowledged.Count} acknowledged writes");
            await Task.Delay(20);
        }
    }
}
