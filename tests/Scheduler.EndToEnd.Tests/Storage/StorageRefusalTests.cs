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
}
