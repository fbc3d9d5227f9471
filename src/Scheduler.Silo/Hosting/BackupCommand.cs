using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Scheduler.Grains.Backups;
using Scheduler.Grains.Persistence;

namespace Scheduler.Silo.Hosting;

/// <summary>
/// <c>Scheduler.Silo backup FOLDER</c> and <c>Scheduler.Silo restore FILE</c>, on the database the service's settings
/// name (appsettings, environment, <c>--ConnectionStrings:Scheduler=...</c>). A SQLite backup is online (the service may
/// run); a restore refuses while a service uses the file. PostgreSQL is dumped with <c>pg_dump -Fc</c>.
/// </summary>
public static class BackupCommand
{
    public static int Backup(string folder, string[] settings, TextWriter output)
    {
        var database = SiloSetup.Database(Configuration(settings));
        if (database is SqliteDatabase sqlite)
        {
            if (!File.Exists(sqlite.FilePath))
            {
                output.WriteLine($"backup: {sqlite.FilePath} does not exist.");
                return 2;
            }
            var manifest = SqliteBackup.Create(sqlite, folder, DateTimeOffset.UtcNow);
            output.WriteLine($"backup: {Path.Combine(Path.GetFullPath(folder), manifest.Name)} ({manifest.SizeBytes} bytes, sha256 {manifest.Sha256}, "
                + $"integrity {manifest.IntegrityCheck}, {manifest.DurationMs:F0} ms)");
            return 0;
        }
        return PgDump(database.ConnectionString, folder, output);
    }

    public static int Restore(string file, string[] settings, TextWriter output)
    {
        var database = SiloSetup.Database(Configuration(settings));
        if (database is not SqliteDatabase sqlite)
        {
            output.WriteLine("restore: the database is PostgreSQL: restore its dump with pg_restore (see the README).");
            return 2;
        }
        if (SqliteBackup.Restore(file, sqlite.FilePath) is { } refusal)
        {
            output.WriteLine($"restore: {refusal}");
            return 1;
        }
        output.WriteLine($"restore: {sqlite.FilePath} restored from {file}");
        return 0;
    }

    private static int PgDump(string connectionString, string folder, TextWriter output)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(Path.GetFullPath(folder),
            "scheduler-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + ".dump");
        var start = new ProcessStartInfo("pg_dump") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "--format=custom", $"--file={file}", $"--host={settings.Host}", $"--port={settings.Port}",
            $"--username={settings.Username}", $"--dbname={settings.Database}" })
        {
            start.ArgumentList.Add(argument);
        }
        // The password goes to pg_dump in its environment, never on a command line others can read.
        if (!string.IsNullOrEmpty(settings.Password))
        {
            start.Environment["PGPASSWORD"] = settings.Password;
        }
        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                output.WriteLine($"backup: pg_dump failed ({process.ExitCode}): {errors.Trim()}");
                return 1;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            output.WriteLine("backup: pg_dump is not installed (PostgreSQL client tools); install it to back up PostgreSQL.");
            return 2;
        }
        output.WriteLine($"backup: {file} ({new FileInfo(file).Length} bytes, pg_dump custom format)");
        return 0;
    }

    // The settings the service itself would read, from the same working directory.
    private static IConfiguration Configuration(string[] settings)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(settings)
            .Build();
    }
}
