using static Scheduler.EndToEnd.Tests.Storage.StorageProbes;

namespace Scheduler.EndToEnd.Tests.Storage;

/// <summary>A database whose files cannot be written: writes are refused as 503 <c>storage_unavailable</c>, never 500, and recover by themselves.</summary>
public sealed class StorageRefusalTests
{
    [Fact]
    public async Task Create_WhenWalIsImmutable_AnswersStorageUnavailableAndReadinessFailsUntilTheFileIsWritable()
    {
        using var disk = LoopDisk.Create();
        await using var service = SchedulerProcess.Start(disk.Path);
        try
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            Assert.Equal(HttpStatusCode.Created, (await CreateInterviewer(client, "before")).StatusCode);

            disk.MakeImmutable(disk.FileNamed("scheduler.db-wal"));
            for (var n = 0; n < 5; n++)
            {
                await AssertUnavailable(await CreateInterviewer(client, $"refused{n}"), "storage_unavailable");
            }
            await WaitForReadiness(service, HttpStatusCode.ServiceUnavailable);

            disk.MakeWritable(disk.FileNamed("scheduler.db-wal"));
            // No client write in between: readiness finds out by itself.
            await WaitForReadiness(service, HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.Created, (await CreateInterviewer(client, "after")).StatusCode);
            Assert.Equal(["after", "before"], await Listed(client));
            Assert.Contains("scheduler.db-wal is not writable", service.Output, StringComparison.Ordinal);
        }
        finally
        {
            disk.Release();
        }
    }

    [Fact]
    public async Task Creates_WhenTheDiskIsFull_AnswerStorageUnavailableAndReadinessRecoversWhenSpaceIsFreed()
    {
        using var disk = LoopDisk.Create();
        await using var service = SchedulerProcess.Start(disk.Path);
        try
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            Assert.Equal(HttpStatusCode.Created, (await CreateInterviewer(client, "before")).StatusCode);

            // The files stay writable: SQLite itself meets the full disk (SQLITE_FULL) once the WAL must grow.
            disk.Fill();
            var answers = new List<HttpStatusCode>();
            for (var n = 0; n < 200 && !answers.Contains(HttpStatusCode.ServiceUnavailable); n++)
            {
                var response = await CreateInterviewer(client, $"full{n}");
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    await AssertUnavailable(response, "storage_unavailable");
                }
                answers.Add(response.StatusCode);
            }
            Assert.Contains(HttpStatusCode.ServiceUnavailable, answers);
            Assert.Contains("disk is full", service.Output, StringComparison.Ordinal);
            await WaitForReadiness(service, HttpStatusCode.ServiceUnavailable);

            disk.Free();
            await WaitForReadiness(service, HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.Created, (await CreateInterviewer(client, "after")).StatusCode);
            // Exactly the acknowledged creates are stored.
            var listed = await client.GetFromJsonAsync<JsonElement>("/api/interviewers?skill=storage&limit=1");
            Assert.Equal(answers.Count(a => a == HttpStatusCode.Created) + 2, listed.GetProperty("pagination").GetProperty("total").GetInt64());
        }
        finally
        {
            disk.Free();
            disk.Release();
        }
    }
}
