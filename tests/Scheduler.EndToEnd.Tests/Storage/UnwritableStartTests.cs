namespace Scheduler.EndToEnd.Tests.Storage;

/// <summary>A service started on files it cannot write says why and stops, rather than die of SIGBUS on its first write.</summary>
public sealed class UnwritableStartTests
{
    [Fact]
    public async Task Start_WithAnImmutableShmLeftByACrash_LogsTheCauseAndStops()
    {
        using var disk = LoopDisk.Create();
        try
        {
            await using (var first = SchedulerProcess.Start(disk.Path))
            {
                await first.WaitUntilHealthy();
                using var client = await first.AdminClient();
                // Killed: the -wal and -shm files stay behind, as after a crash.
                await first.Kill();
            }
            Assert.True(File.Exists(disk.FileNamed("scheduler.db-shm")));
            disk.MakeImmutable(disk.FileNamed("scheduler.db-shm"));

            await using var second = SchedulerProcess.Start(disk.Path);
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(second.WaitUntilHealthy);
            Assert.Contains("exited with code", failure.Message, StringComparison.Ordinal);
            Assert.Contains("scheduler.db-shm is not writable (EPERM", second.Output, StringComparison.Ordinal);
            Assert.NotEqual(135, await second.WaitForExit(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            disk.Release();
        }
    }
}
