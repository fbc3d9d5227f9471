using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Scheduler.EndToEnd.Tests;

/// <summary>
/// kill -9 in the middle of creates and email changes: a change commits its grain state, read-model row, audit entry
/// and email claim in one transaction, so after a restart each acknowledged change is in all four, and no change is
/// in some of them only.
/// </summary>
public sealed class EmailClaimCrashTests
{
    private const string Skill = "claimcrash";

    [Fact]
    public async Task KillNine_DuringCreatesAndEmailChanges_AcknowledgedChangesSurviveAndNoneIsHalfWritten()
    {
        using var data = new TempDirectory();
        var load = new Load();
        await using (var service = SchedulerProcess.Start(data.Path))
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() => load.Write(client, w, stop.Token))).ToArray();
            // Killed once enough of each kind of change is through (in about a second here), with writes in flight.
            var deadline = Stopwatch.StartNew();
            while (!load.Enough && load.Unexpected.IsEmpty && !writers.All(w => w.IsCompleted))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"the load stalled: {load}");
                await Task.Delay(10);
            }
            load.Killed = true;
            await service.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.True(load.Unexpected.IsEmpty, string.Join("\n", load.Unexpected.Take(5)));
        Assert.True(load.Enough, $"the load should have been acknowledged before the kill: {load}");

        await using var restarted = SchedulerProcess.Start(data.Path);
        await restarted.WaitUntilHealthy();
        using var again = await restarted.AdminClient();
        var stored = Stored.Read(Path.Combine(data.Path, "scheduler.db"));
        var listed = await Listed(again);
        var audited = await Audited(again);

        // Every acknowledged change is in: the grain shows it, or the change its writer sent after it (which the kill
        // may or may not have let commit), and so, below, do the read model, the audit log and the claims.
        foreach (var (id, last) in load.Acknowledged)
        {
            var grain = await Grain(again, id);
            Assert.True(grain == last || (load.InFlight.TryGetValue(id, out var sent) && grain == sent),
                $"{id}: acknowledged {last}, the grain shows {grain}");
            Assert.True(stored.Rows.ContainsKey(id), $"{id}: acknowledged, but no read-model row");
        }
        // Every interviewer stored (acknowledged or not) is whole: grain, read-model row, list, state row, claim and
        // audit agree on its email and version.
        foreach (var (id, row) in stored.Rows)
        {
            var grain = await Grain(again, id);
            Assert.Equal(row.Change, grain);
            Assert.Equal(row.Change, listed.GetValueOrDefault(id));
            Assert.Equal(row.StorageVersion, stored.StateVersions.GetValueOrDefault(id));
            Assert.Equal(row.Change.Email, stored.Claims.GetValueOrDefault(id));
            Assert.Equal(Enumerable.Range(1, (int)row.Change.Version).Select(v => (long)v), audited.GetValueOrDefault(id, []).Order());
        }
        Assert.Equal(stored.Rows.Count, listed.Count);
        Assert.Equal(stored.Rows.Count, stored.StateVersions.Count);
        Assert.Equal(stored.Rows.Count, stored.Claims.Count);
        Assert.Equal(stored.Rows.Count, audited.Count);
    }

    /// <summary>The interviewer's email and version as its grain answers them.</summary>
    private static async Task<Change> Grain(HttpClient client, string id)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/interviewers/{id}");
        return Change.Of(body);
    }

    /// <summary>Every interviewer the list (the read model) shows.</summary>
    private static async Task<Dictionary<string, Change>> Listed(HttpClient client)
    {
        var listed = new Dictionary<string, Change>();
        for (var offset = 0; ; offset += 100)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/interviewers?skill={Skill}&limit=100&offset={offset}");
            foreach (var interviewer in page.GetProperty("data").EnumerateArray())
            {
                listed.Add(interviewer.GetProperty("id").GetString()!, Change.Of(interviewer));
            }
            if (!page.GetProperty("pagination").GetProperty("hasMore").GetBoolean())
            {
                return listed;
            }
        }
    }

    /// <summary>The versions the audit log has an entry for, per interviewer.</summary>
    private static async Task<Dictionary<string, List<long>>> Audited(HttpClient client)
    {
        var audited = new Dictionary<string, List<long>>();
        for (var offset = 0; ; offset += 100)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/audit-logs?entityType=interviewer&limit=100&offset={offset}");
            foreach (var entry in page.GetProperty("data").EnumerateArray())
            {
                var id = entry.GetProperty("entityId").GetString()!;
                audited.TryAdd(id, []);
                audited[id].Add(entry.GetProperty("entityVersion").GetInt64());
            }
            if (!page.GetProperty("pagination").GetProperty("hasMore").GetBoolean())
            {
                return audited;
            }
        }
    }

    private sealed record Change(long Version, string Email)
    {
        public static Change Of(JsonElement interviewer) =>
            new(interviewer.GetProperty("version").GetInt64(), Normalize(interviewer.GetProperty("email").GetString()!));

        public static string Normalize(string email) => email.Trim().ToLowerInvariant();
    }

    /// <summary>
    /// Eight writers, each creating interviewers and changing their emails one change at a time (to a new email, or
    /// now and then to another interviewer's, which is refused while that one holds it).
    /// </summary>
    private sealed class Load
    {
        private int _creates;
        private int _moves;
        private int _refusals;
        private volatile bool _killed;

        /// <summary>Each interviewer's last acknowledged change.</summary>
        public ConcurrentDictionary<string, Change> Acknowledged { get; } = new();

        /// <summary>The email change sent for an interviewer and not answered (yet, or ever: the kill).</summary>
        public ConcurrentDictionary<string, Change> InFlight { get; } = new();

        /// <summary>Answers no change should get (before the kill): a failure, an unexpected status.</summary>
        public ConcurrentBag<string> Unexpected { get; } = [];

        public bool Killed
        {
            get => _killed;
            set => _killed = value;
        }

        public bool Enough => Volatile.Read(ref _creates) >= 60 && Volatile.Read(ref _moves) >= 150 && Volatile.Read(ref _refusals) >= 5;

        public override string ToString() => $"{_creates} creates, {_moves} email changes, {_refusals} refused";

        public async Task Write(HttpClient client, int writer, CancellationToken stop)
        {
            var random = new Random(writer);
            var mine = new List<string>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var email = $"w{writer}n{n}.{Guid.NewGuid():N}@example.com";
                var body = new { name = $"Writer {writer}", email, skills = new[] { Skill } };
                try
                {
                    if (mine.Count == 0 || random.Next(4) == 0)
                    {
                        using var response = await client.PostAsJsonAsync("/api/interviewers", body, stop);
                        if (response.StatusCode != HttpStatusCode.Created)
                        {
                            await Refused("create", response);
                            continue;
                        }
                        var created = await response.Content.ReadFromJsonAsync<JsonElement>(stop);
                        var id = created.GetProperty("id").GetString()!;
                        Acknowledged[id] = Change.Of(created);
                        mine.Add(id);
                        Interlocked.Increment(ref _creates);
                    }
                    else
                    {
                        var id = mine[random.Next(mine.Count)];
                        var others = Acknowledged.Where(other => other.Key != id).Select(other => other.Value.Email).ToArray();
                        if (random.Next(5) == 0 && others.Length > 0)
                        {
                            body = body with { email = others[random.Next(others.Length)] };
                        }
                        InFlight[id] = new Change(Acknowledged[id].Version + 1, Change.Normalize(body.email));
                        using var response = await client.PutAsJsonAsync($"/api/interviewers/{id}", body, stop);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            Acknowledged[id] = Change.Of(await response.Content.ReadFromJsonAsync<JsonElement>(stop));
                            Interlocked.Increment(ref _moves);
                        }
                        else if (response.StatusCode == HttpStatusCode.Conflict
                            && (await response.Content.ReadFromJsonAsync<JsonElement>(stop)).GetProperty("code").GetString() == "email_taken")
                        {
                            Interlocked.Increment(ref _refusals);
                        }
                        else
                        {
                            await Refused("email change", response);
                        }
                        // Answered: committed and acknowledged, or refused and not committed.
                        InFlight.TryRemove(id, out _);
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
                {
                    if (!Killed)
                    {
                        Unexpected.Add($"writer {writer}: {error}");
                    }
                    return; // the process is gone
                }
            }
        }

        private async Task Refused(string change, HttpResponseMessage response)
        {
            if (!Killed)
            {
                Unexpected.Add($"{change}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private sealed record Row(Change Change, long StorageVersion);

    /// <summary>What the SQLite file holds, read in one snapshot beside the running service.</summary>
    private sealed record Stored(Dictionary<string, Row> Rows, Dictionary<string, string> Claims, Dictionary<string, long> StateVersions)
    {
        public static Stored Read(string file)
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = file,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var snapshot = connection.BeginTransaction(deferred: true);
            var rows = Query(connection, "SELECT id, email_norm, version, storage_version FROM interviewers WHERE deleted = 0",
                r => (r.GetString(0), new Row(new Change(r.GetInt64(2), r.GetString(1)), r.GetInt64(3))));
            var claims = Query(connection, "SELECT owner_id, email_norm FROM email_claims WHERE kind = 'interviewer'",
                r => (r.GetString(0), r.GetString(1)));
            var ids = rows.Keys.ToDictionary(Key);
            var states = Query(connection,
                "SELECT GrainIdN0, GrainIdN1, Version FROM OrleansStorage WHERE GrainTypeString = 'interviewer' AND PayloadBinary IS NOT NULL",
                r => (ids.GetValueOrDefault((r.GetInt64(0), r.GetInt64(1)), $"(a state row of no interviewer: {r.GetInt64(0)}/{r.GetInt64(1)})"),
                    r.GetInt64(2)));
            return new Stored(rows, claims, states);
        }

        /// <summary>The interviewer's grain key as the storage keeps it: the two halves of its GUID.</summary>
        private static (long, long) Key(string id)
        {
            var bytes = Guid.ParseExact(id, "N").ToByteArray();
            return (BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8));
        }

        private static Dictionary<string, T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, (string, T)> read)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var values = new Dictionary<string, T>();
            while (reader.Read())
            {
                var (key, value) = read(reader);
                values.Add(key, value);
            }
            return values;
        }
    }
}
