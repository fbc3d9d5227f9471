using static Scheduler.EndToEnd.Tests.Storage.StorageProbes;

namespace Scheduler.EndToEnd.Tests.Storage;

/// <summary>The configured SQLite file deleted under a running service: no write is acknowledged into the unlinked file.</summary>
public sealed class DeletedDatabaseTests
{
    [Fact]
    public async Task Create_AfterTheDatabaseFilesAreDeleted_AnswersStorageUnavailableAndReadinessFails()
    {
        using var data = new TempDirectory();
        await using var service = SchedulerProcess.Start(data.Path);
        await service.WaitUntilHealthy();
        using var client = await service.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await CreateInterviewer(client, "before")).StatusCode);

        foreach (var file in Directory.GetFiles(data.Path, "scheduler.db*"))
        {
            File.Delete(file);
        }
        for (var n = 0; n < 5; n++)
        {
            // Acknowledged, it would be gone after a restart: the file it went to has no name any more.
            await AssertUnavailable(await CreateInterviewer(client, $"lost{n}"), "storage_unavailable");
        }
        await WaitForReadiness(service, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("scheduler.db was deleted", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AfterTheDatabaseFileIsReplaced_AnswersStorageUnavailable()
    {
        using var data = new TempDirectory();
        await using var service = SchedulerProcess.Start(data.Path);
        await service.WaitUntilHealthy();
        using var client = await service.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await CreateInterviewer(client, "before")).StatusCode);

        // A copy moved over the path: the same name, another file than the one the service has open.
        var database = Path.Combine(data.Path, "scheduler.db");
        File.Copy(database, database + ".copy");
        File.Move(database + ".copy", database, overwrite: true);
        await AssertUnavailable(await CreateInterviewer(client, "lost"), "storage_unavailable");
        await WaitForReadiness(service, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("was replaced by another file", service.Output, StringComparison.Ordinal);
    }
}
