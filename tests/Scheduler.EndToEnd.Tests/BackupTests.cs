using System.Collections.Concurrent;
using System.Diagnostics;

namespace Scheduler.EndToEnd.Tests;

/// <summary>Online SQLite backups: taken under load, restored into a fresh service, scheduled and pruned, failures shown.</summary>
public sealed class BackupTests
{
    [Fact]
    public async Task Backup_TakenDuringWriteLoad_RestoredIntoFreshService_HoldsEveryWriteAcknowledgedBeforeIt()
    {
        using var live = new TempDirectory();
        using var fresh = new TempDirectory();
        var acknowledged = new ConcurrentQueue<(long At, string Id)>();
        var clock = Stopwatch.StartNew();
        JsonElement manifest;
        long requestedAt;
        await using (var service = SchedulerProcess.Start(live.Path))
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var created = await client.PostAsJsonAsync("/api/interviewers",
                        new { name = $"Backup {w}-{n}", email = $"backup{w}.{n}.{Guid.NewGuid():N}@example.com", skills = new[] { "e2e" } });
                    Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                    acknowledged.Enqueue((clock.ElapsedTicks, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!));
                }
            })).ToArray();
            await Until(() => acknowledged.Count >= 40);

            requestedAt = clock.ElapsedTicks;
            var taken = await client.PostAsync("/api/backups", null);
            var afterBackup = acknowledged.Count;
            await Until(() => acknowledged.Count >= afterBackup + 20); // writes went on
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            manifest = await taken.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
            Assert.Equal("ok", manifest.GetProperty("integrityCheck").GetString());
            var listed = await client.GetFromJsonAsync<JsonElement>("/api/backups");
            Assert.Equal(manifest.GetProperty("name").GetString(), listed.GetProperty("data")[0].GetProperty("name").GetString());

            // The command line backs up the running service too; a restore onto its file is refused.
            var cli = await Command(live.Path, "backup", Path.Combine(live.Path, "cli-backups"));
            Assert.True(cli.Code == 0, cli.Output);
            Assert.Single(Directory.GetFiles(Path.Combine(live.Path, "cli-backups"), "*.db.json"));
            var refused = await Command(live.Path, "restore", Path.Combine(live.Path, "backups", manifest.GetProperty("name").GetString()!));
            Assert.True(refused.Code == 1 && refused.Output.Contains("stop it first", StringComparison.Ordinal), refused.Output);
        }

        var backup = Path.Combine(live.Path, "backups", manifest.GetProperty("name").GetString()!);
        File.WriteAllText(Path.Combine(fresh.Path, "scheduler.db-wal"), "stale"); // a stale log must not be replayed
        var restored = await Command(fresh.Path, "restore", backup);
        Assert.True(restored.Code == 0, restored.Output);
        Assert.False(File.Exists(Path.Combine(fresh.Path, "scheduler.db-wal")));

        await using var again = SchedulerProcess.Start(fresh.Path);
        await again.WaitUntilHealthy();
        using var reader = await again.AdminClient();
        var before = acknowledged.Where(a => a.At < requestedAt).Select(a => a.Id).ToArray();
        Assert.NotEmpty(before);
        foreach (var id in before)
        {
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/interviewers/{id}")).StatusCode);
        }
        Assert.True(manifest.GetProperty("rowCounts").GetProperty("interviewers").GetInt64() >= before.Length);
    }

    [Fact]
    public async Task ScheduledBackups_KeepOnlyTheNewest_AndAFailedBackupDegradesReadiness()
    {
        using var data = new TempDirectory();
        var blocked = Path.Combine(data.Path, "not-a-folder");
        await using (var service = SchedulerProcess.Start(data.Path, new Dictionary<string, string?>
        {
            ["Backup__IntervalMinutes"] = "0.01",
            ["Backup__Keep"] = "2",
        }))
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            await Until(async () => Directory.Exists(Path.Combine(data.Path, "backups"))
                && (await client.GetFromJsonAsync<JsonElement>("/api/backups")).GetProperty("data").GetArrayLength() == 2
                && Directory.GetFiles(Path.Combine(data.Path, "backups"), "*.db.json").Length == 2
                && (await client.GetFromJsonAsync<JsonElement>("/api/backups")).GetProperty("data")[0].GetProperty("createdAt").GetDateTime() > DateTime.UtcNow.AddSeconds(-5));
            Assert.True(Directory.GetFiles(Path.Combine(data.Path, "backups"), "*.db").Length <= 3); // at most one more, being replaced
        }

        File.WriteAllText(blocked, "a file where the backup folder should be");
        await using var failing = SchedulerProcess.Start(data.Path, new Dictionary<string, string?> { ["Backup__Folder"] = blocked });
        await failing.WaitUntilHealthy();
        using var admin = await failing.AdminClient();

        var refused = await admin.PostAsync("/api/backups", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var ready = await admin.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        Assert.Equal("degraded", report.GetProperty("checks").GetProperty("backups").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Backup_OnPostgreSql_WritesAPgDump_ThatPgRestoreLoadsIntoAFreshServiceWithEveryWrite()
    {
        await using var source = await PostgreSqlTestDatabase.CreateAsync();
        await using var target = await PostgreSqlTestDatabase.CreateAsync();
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var created = new List<string>();
        await using (var service = SchedulerProcess.Start(first.Path, PostgreSql(source)))
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            for (var n = 0; n < 5; n++)
            {
                var response = await client.PostAsJsonAsync("/api/interviewers",
                    new { name = $"Dumped {n}", email = $"dumped{n}.{Guid.NewGuid():N}@example.com", skills = new[] { "e2e" } });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                created.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }

            var dumped = await Command(first.Path, PostgreSql(source), "backup", Path.Combine(first.Path, "dumps"));

            Assert.True(dumped.Code == 0, dumped.Output);
        }
        var dump = Assert.Single(Directory.GetFiles(Path.Combine(first.Path, "dumps"), "scheduler-*.dump"));
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString);
        var restore = new ProcessStartInfo("pg_restore") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--no-owner", "--exit-on-error", $"--host={settings.Host}", $"--port={settings.Port}",
            $"--username={settings.Username}", $"--dbname={settings.Database}", dump })
        {
            restore.ArgumentList.Add(argument);
        }
        restore.Environment["PGPASSWORD"] = settings.Password ?? "";
        var restored = await Run(restore);
        Assert.True(restored.Code == 0, restored.Output);

        await using var again = SchedulerProcess.Start(second.Path, PostgreSql(target));
        await again.WaitUntilHealthy();
        using var reader = await again.AdminClient();
        foreach (var id in created)
        {
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/interviewers/{id}")).StatusCode);
        }
    }

    private static Dictionary<string, string?> PostgreSql(PostgreSqlTestDatabase database) => new()
    {
        ["Storage__Provider"] = "PostgreSql",
        ["ConnectionStrings__Scheduler"] = database.ConnectionString,
        ["Orleans__ClusterId"] = database.Name,
    };

    private static Task<(int Code, string Output)> Command(string workingDirectory, params string[] arguments) =>
        Command(workingDirectory, new Dictionary<string, string?>(), arguments);

    private static async Task<(int Code, string Output)> Command(string workingDirectory, IDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "src", "Scheduler.Silo", "bin", output.Parent!.Name, output.Name, "Scheduler.Silo.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ConnectionStrings__Scheduler"] = $"Data Source={Path.Combine(workingDirectory, "scheduler.db")}";
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return await Run(start);
    }

    private static async Task<(int Code, string Output)> Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var printed = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await printed + await errors);
    }

    private static Task Until(Func<bool> condition) => Until(() => Task.FromResult(condition()));

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "The condition did not hold within 60 s.");
            await Task.Delay(50);
        }
    }
}
