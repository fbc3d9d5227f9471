using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Backups;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Backups;

/// <summary>
/// Takes the scheduled backups of the SQLite database (and those asked for through the API), one at a time, and keeps
/// the newest <see cref="BackupOptions.Keep"/>. Holds the database's shared lock (<see cref="DatabaseLock"/>) while the
/// service runs. Meters: <c>scheduler.backup.age</c> (seconds since the newest backup), <c>scheduler.backup.failures</c>.
/// </summary>
public sealed partial class BackupService : BackgroundService
{
    private readonly SqliteDatabase? _database;
    private readonly BackupOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupService> _logger;
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly Counter<long> _failures;
    private readonly Counter<long> _completed;
    private FileStream? _lock;
    private DateTimeOffset? _newest;

    public BackupService(SchedulerDatabase database, IOptions<BackupOptions> options, TimeProvider time, IMeterFactory meters, ILogger<BackupService> logger)
    {
        _database = database as SqliteDatabase is { FilePath.Length: > 0 } sqlite && !sqlite.ConnectionString.Contains("Mode=Memory", StringComparison.OrdinalIgnoreCase)
            ? sqlite : null;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Folder = _database is null ? null
            : Path.GetFullPath(_options.Folder ?? Path.Combine(Path.GetDirectoryName(_database.FilePath)!, "backups"));
        var meter = meters.Create(SchedulerTelemetry.Name);
        _failures = meter.CreateCounter<long>("scheduler.backup.failures", "{backup}", "Backups that failed");
        _completed = meter.CreateCounter<long>("scheduler.backup.completed", "{backup}", "Backups taken and verified");
        meter.CreateObservableGauge("scheduler.backup.age", ObserveAge, "s", "Seconds since the newest verified backup");
    }

    /// <summary>The backup folder; null when the database is not a SQLite file.</summary>
    public string? Folder { get; }

    /// <summary>Why the last backup failed; null once one succeeds.</summary>
    public string? LastFailure { get; private set; }

    public IReadOnlyList<BackupManifest> List() => Folder is null ? [] : SqliteBackup.List(Folder);

    public async Task<BackupManifest> TakeNow(CancellationToken cancellationToken = default)
    {
        if (_database is null || Folder is null)
        {
            throw new ConflictException("Backups are taken here only for a SQLite database; back up PostgreSQL with pg_dump.", "backups_unavailable");
        }
        await _one.WaitAsync(cancellationToken);
        try
        {
            var manifest = await Task.Run(() => SqliteBackup.Create(_database, Folder, _time.GetUtcNow()), cancellationToken);
            SqliteBackup.Prune(Folder, _options.Keep);
            _newest = manifest.CreatedAt;
            LastFailure = null;
            _completed.Add(1);
            LogTaken(manifest.Name, manifest.SizeBytes, manifest.DurationMs);
            return manifest;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LastFailure = e.Message;
            _failures.Add(1);
            LogFailed(e, Folder);
            // Nothing was changed and the API answers 503: a backup may be asked again once the cause is fixed.
            throw new StorageUnavailableException($"The backup failed: {e.Message}", e);
        }
        finally
        {
            _one.Release();
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_database is not null)
        {
            _lock = DatabaseLock.Share(_database.FilePath);
            _newest = List().FirstOrDefault()?.CreatedAt;
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_database is null || !_options.Enabled || _options.IntervalMinutes <= 0)
        {
            return;
        }
        var interval = TimeSpan.FromMinutes(_options.IntervalMinutes);
        var startedAt = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = (_newest is { } newest && newest > startedAt - interval ? newest : startedAt) + interval;
            var wait = due - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, stoppingToken);
            }
            try
            {
                await TakeNow(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Logged and counted; tried again an interval later.
                startedAt = _time.GetUtcNow();
                _newest = null;
            }
        }
    }

    public override void Dispose()
    {
        _lock?.Dispose();
        _one.Dispose();
        base.Dispose();
    }

    private IEnumerable<Measurement<double>> ObserveAge() =>
        _newest is { } newest ? [new Measurement<double>((_time.GetUtcNow() - newest).TotalSeconds)] : [];

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {Name} taken and verified ({Bytes} bytes, {Milliseconds} ms)")]
    private partial void LogTaken(string name, long bytes, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup into {Folder} failed")]
    private partial void LogFailed(Exception error, string folder);
}
