using Scheduler.Common;

namespace Scheduler.Backups;

/// <summary>One verified backup of the database: what its manifest (<c>NAME.json</c> beside the copy) says.</summary>
/// <param name="Name">The copy's file name in the backup folder.</param>
/// <param name="Sha256">Of the copy, lower-case hex.</param>
/// <param name="RowCounts">Rows per table in the copy.</param>
/// <param name="IntegrityCheck">What <c>PRAGMA integrity_check</c> answered on the copy (<c>ok</c>).</param>
[GenerateSerializer, Immutable]
public sealed record BackupManifest(
    string Name, DateTimeOffset CreatedAt, long SizeBytes, string Sha256, IReadOnlyDictionary<string, long> RowCounts, string IntegrityCheck,
    double DurationMs);

/// <summary>The database's backups (SQLite; PostgreSQL is backed up with <c>pg_dump</c>). A stateless worker: use key 0.</summary>
public interface IBackupGrain : IGrainWithIntegerKey
{
    /// <summary>The backups in the folder, newest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<BackupManifest>> List();

    /// <summary>Takes a backup now (one at a time: a second request waits for the first), verified, and prunes old ones.</summary>
    /// <exception cref="ConflictException">Backups are not available on this database (<c>backups_unavailable</c>).</exception>
    Task<BackupManifest> Start();
}
