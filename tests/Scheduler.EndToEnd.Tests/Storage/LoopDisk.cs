using System.Diagnostics;

namespace Scheduler.EndToEnd.Tests.Storage;

/// <summary>
/// A small ext4 file system of its own, loop-mounted in a temporary folder (root only), on which a test injects real
/// faults: an immutable file (<c>chattr +i</c>), a frozen file system (<c>fsfreeze</c>). <see cref="Release"/> undoes
/// every fault; <see cref="Dispose"/> releases, unmounts and deletes everything, also when the test failed.
/// </summary>
public sealed class LoopDisk : IDisposable
{
    private readonly string _image;
    private readonly HashSet<string> _immutable = [];
    private bool _frozen;

    private LoopDisk(string image, string path)
    {
        _image = image;
        Path = path;
    }

    public string Path { get; }

    public static LoopDisk Create(int megabytes = 128)
    {
        var name = "scheduler-disk-" + Guid.NewGuid().ToString("N");
        var image = System.IO.Path.Combine(System.IO.Path.GetTempPath(), name + ".img");
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), name);
        using (var file = System.IO.File.Create(image))
        {
            file.SetLength(megabytes * 1024L * 1024);
        }
        Directory.CreateDirectory(path);
        try
        {
            Run("mkfs.ext4", "-q", "-F", image);
            Run("mount", "-o", "loop", image, path);
        }
        catch
        {
            Directory.Delete(path);
            File.Delete(image);
            throw;
        }
        return new LoopDisk(image, path);
    }

    public string FileNamed(string name) => System.IO.Path.Combine(Path, name);

    /// <summary><c>chattr +i</c>: no process, root included, may write the file.</summary>
    public void MakeImmutable(string file)
    {
        _immutable.Add(file);
        Run("chattr", "+i", file);
    }

    public void MakeWritable(string file)
    {
        Run("chattr", "-i", file);
        _immutable.Remove(file);
    }

    /// <summary>Writes a file until the file system has no space left; <see cref="Free"/> deletes it.</summary>
    public void Fill()
    {
        var chunk = new byte[1024 * 1024];
        using var filler = new FileStream(FileNamed("filler"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                filler.Write(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. Smaller pieces fill what a whole chunk did not fit in.
        }
        try
        {
            while (true)
            {
                filler.Write(chunk, 0, 4096);
            }
        }
        catch (IOException)
        {
        }
    }

    public void Free() => System.IO.File.Delete(FileNamed("filler"));

    /// <summary><c>fsfreeze -f</c>: every write to the file system blocks until <see cref="Thaw"/>.</summary>
    public void Freeze()
    {
        _frozen = true;
        Run("fsfreeze", "-f", Path);
    }

    public void Thaw()
    {
        if (_frozen)
        {
            Run("fsfreeze", "-u", Path);
            _frozen = false;
        }
    }

    /// <summary>Undoes every fault (call it before stopping a process that uses the disk: a frozen writer cannot die).</summary>
    public void Release()
    {
        Thaw();
        foreach (var file in _immutable.ToList())
        {
            MakeWritable(file);
        }
    }

    public void Dispose()
    {
        try
        {
            Release();
        }
        finally
        {
            if (Try("umount", Path) != 0)
            {
                // Still busy (a process that has not quite exited): detach now, freed when the last user goes.
                Try("umount", "-l", Path);
            }
            Directory.Delete(Path);
            System.IO.File.Delete(_image);
        }
    }

    private static void Run(string command, params string[] arguments) => Try(command, arguments, check: true);

    private static int Try(string command, params string[] arguments) => Try(command, arguments, check: false);

    private static int Try(string command, string[] arguments, bool check)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not finish in 30 s.");
        }
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}");
        }
        return process.ExitCode;
    }
}
