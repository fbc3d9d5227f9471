
namespace Scheduler.Grains.Persistence;

/// <summary>How grain-state writes reach the disk (SQLite's <c>synchronous</c> in WAL mode).</summary>
public enum SqliteDurability
{
    /// <summary>Every commit is synced: an acknowledged write survives a killed process and a power loss.</summary>
    Full,

    /// <summary>
    /// Commits are synced at checkpoints: an acknowledged write survives a killed process (what the OS has
    /// been given is not lost), but a power loss may take the last commits. With group commit (one sync per
    /// batch) it measured no faster than <see cref="Full"/>.
    /// </summary>
    Normal,
}
