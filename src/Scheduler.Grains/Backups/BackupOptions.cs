namespace Scheduler.Grains.Backups;

/// <summary>Configuration section <c>Backup</c>: scheduled online backups of the SQLite database.</summary>
public sealed class BackupOptions
{
    /// <summary>Take backups on a schedule (SQLite only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where backups go; default: a <c>backups</c> folder beside the database file.</summary>
    public string? Folder { get; set; }

    public double IntervalMinutes { get; set; } = 60;

    /// <summary>How many backups are kept; older ones are deleted after each new one.</summary>
    public int Keep { get; set; } = 24;
}
