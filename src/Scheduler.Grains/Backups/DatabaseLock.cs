namespace Scheduler.Grains.Backups;

/// <summary>
/// <c>FILE.lock</c> beside the SQLite file: every service using the file holds a shared lock on it (an advisory
/// <c>flock</c>, released by the kernel when the process ends, however it ends); a restore takes it exclusively, so it
/// cannot replace a file a running service has open.
/// </summary>
public static class DatabaseLock
{
    public static string PathOf(string databaseFile) => databaseFile + ".lock";

    /// <summary>The shared lock a service holds while it runs; null when another process holds it exclusively (a restore).</summary>
    public static FileStream? Share(string databaseFile) => TryOpen(databaseFile, FileShare.ReadWrite);

    /// <summary>The exclusive lock of a restore; null while any service holds the file.</summary>
    public static FileStream? Exclusive(string databaseFile) => TryOpen(databaseFile, FileShare.None);

    private static FileStream? TryOpen(string databaseFile, FileShare share)
    {
        try
        {
            return new FileStream(PathOf(databaseFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, share);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
