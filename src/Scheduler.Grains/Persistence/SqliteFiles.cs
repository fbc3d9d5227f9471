using System.Runtime.InteropServices;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// The SQLite file and its <c>-wal</c> and <c>-shm</c> companions as the file system sees them, checked without
/// SQLite: cheap enough for every batch (a <c>statx</c> and a few <c>access</c> calls, no I/O), and run before
/// SQLite touches them. SQLite maps <c>-shm</c> into memory and writes to that map: a map the kernel cannot write
/// back (the file made immutable) kills the process with SIGBUS, which no SQLite setting short of exclusive locking
/// (one connection per file) avoids, so the files are checked first. Linux only; elsewhere nothing is checked.
/// </summary>
internal sealed partial class SqliteFiles(string path)
{
    private const int WriteAccess = 2; // W_OK
    private const int AtFdCwd = -100;
    private const int StatxBasicStats = 0x7ff;

    // Off where the C library lacks a call (statx needs glibc 2.28 or musl 1.2.5).
    private static bool _supported = OperatingSystem.IsLinux();

    private (ulong Device, ulong Inode)? _identity;

    /// <summary>Remembers which file the path names now: the file the writer writes from then on.</summary>
    public void Remember()
    {
        try
        {
            if (_supported)
            {
                _identity ??= Identity(path);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or NotSupportedException)
        {
            _supported = false;
        }
    }

    /// <summary>
    /// Null when the path still names the remembered file and it and its companions that exist are writable;
    /// otherwise why not, for the log.
    /// </summary>
    public string? Problem()
    {
        try
        {
            return _supported ? Check() : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or NotSupportedException)
        {
            _supported = false;
            return null;
        }
    }

    private string? Check()
    {
        if (_identity is { } remembered)
        {
            var now = Identity(path);
            if (now is null)
            {
                return $"The database file {path} was deleted: writes would go to a file nothing can read back after a restart.";
            }
            if (now != remembered)
            {
                return $"The database file {path} was replaced by another file (device {now.Value.Device}, inode {now.Value.Inode}; the service opened inode {remembered.Inode}): restart the service to use it.";
            }
        }
        return CheckWritable(folderToo: false);
    }

    /// <summary>
    /// Null when the file and its companions that exist (and the folder, where SQLite creates them, if
    /// <paramref name="folderToo"/>) may be written; otherwise which one may not, and why.
    /// </summary>
    public string? Unwritable(bool folderToo)
    {
        try
        {
            return _supported ? CheckWritable(folderToo) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or NotSupportedException)
        {
            _supported = false;
            return null;
        }
    }

    private string? CheckWritable(bool folderToo)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (Access(file, WriteAccess) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != 2 /* ENOENT */)
            {
                return $"{file} is not writable ({Reason(errno)}).";
            }
        }
        var folder = Path.GetDirectoryName(path);
        if (folderToo && folder is not null && Access(folder, WriteAccess) != 0)
        {
            return $"The folder {folder} is not writable ({Reason(Marshal.GetLastPInvokeError())}).";
        }
        return null;
    }

    private static string Reason(int errno) => errno switch
    {
        1 => "EPERM: the file is immutable or append-only, chattr -i",
        13 => "EACCES: permission denied",
        30 => "EROFS: the file system is mounted read-only",
        _ => $"errno {errno}",
    };

    /// <summary>The file's device and inode; null when it does not exist. A failure of another kind (statx refused
    /// by a container's seccomp profile, say) turns the checks off rather than take the file for gone.</summary>
    private static (ulong Device, ulong Inode)? Identity(string file)
    {
        // struct statx is the same on every Linux architecture: stx_ino at 32, stx_dev_major and _minor at 136 and 140.
        var buffer = new byte[256];
        if (Statx(AtFdCwd, file, 0, StatxBasicStats, buffer) != 0)
        {
            return Marshal.GetLastPInvokeError() is var errno && errno == 2 /* ENOENT */ ? null
                : throw new NotSupportedException($"statx failed with errno {errno}.");
        }
        var inode = BitConverter.ToUInt64(buffer, 32);
        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return (device, inode);
    }

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, int mask, [Out] byte[] buffer);
}
