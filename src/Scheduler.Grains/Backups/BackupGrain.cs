using Orleans.Concurrency;
using Scheduler.Backups;

namespace Scheduler.Grains.Backups;

/// <summary>The API's way to the <see cref="BackupService"/> of the silo it runs on (SQLite serves one host).</summary>
[StatelessWorker]
public sealed class BackupGrain(BackupService backups) : Grain, IBackupGrain
{
    public Task<IReadOnlyList<BackupManifest>> List() => Task.Run(backups.List);

    public Task<BackupManifest> Start() => backups.TakeNow();
}
