using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Scheduler.Backups;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Backups;

/// <summary>
/// Online backups of the SQLite file with SQLite's backup API, in one step: one read transaction, a consistent
/// snapshot. In WAL mode a reader does not block writers, so writes go on while it copies (measured in
/// docs/performance.md). The copy is made self-contained (rollback journal), checked with <c>PRAGMA integrity_check</c>,
/// counted and hashed into a manifest; only then is it given its name, so a listed backup is a verified one.
/// </summary>
public static class SqliteBackup
{
    private const string Prefix = "scheduler-";

    public static BackupManifest Create(SqliteDatabase database, string folder, DateTimeOffset now)
    {
        Directory.CreateDirectory(folder);
        var name = Prefix + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + ".db";
        var path = Path.Combine(folder, name);
        var partial = path + ".partial";
        File.Delete(partial);
        var watch = Stopwatch.StartNew();
        try
        {
            using (var source = (SqliteConnection)database.Open())
            using (var target = Open(partial, SqliteOpenMode.ReadWriteCreate))
            {
                source.BackupDatabase(target);
            }
            var (integrity, rows) = Verify(partial, makeSelfContained: true);
            if (integrity != "ok")
            {
                throw new InvalidOperationException($"The copy failed its integrity check: {integrity}");
            }
            File.Move(partial, path);
            var manifest = new BackupManifest(name, now, new FileInfo(path).Length, Hash(path), rows, integrity, watch.Elapsed.TotalMilliseconds);
            var written = path + ".json.partial";
            File.WriteAllText(written, JsonSerializer.Serialize(manifest, BackupJson.Default.BackupManifest));
            File.Move(written, path + ".json", overwrite: true);
            return manifest;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Opens a copy, answers <c>PRAGMA integrity_check</c> and its rows per table.</summary>
    public static (string Integrity, Dictionary<string, long> Rows) Verify(string file, bool makeSelfContained = false)
    {
        using var connection = Open(file, makeSelfContained ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly);
        if (makeSelfContained)
        {
            Scalar(connection, "PRAGMA journal_mode = DELETE");
        }
        var integrity = string.Join("; ", Column(connection, "PRAGMA integrity_check"));
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Column(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
        {
            rows[table] = Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\""), CultureInfo.InvariantCulture);
        }
        return (integrity, rows);
    }

    /// <summary>The manifests in <paramref name="folder"/>, newest first (a copy without one is not a finished backup).</summary>
    public static List<BackupManifest> List(string folder) => !Directory.Exists(folder) ? [] :
        [.. Directory.EnumerateFiles(folder, Prefix + "*.db.json")
            .Select(f => JsonSerializer.Deserialize(File.ReadAllText(f), BackupJson.Default.BackupManifest))
            .OfType<BackupManifest>()
            .OrderByDescending(m => m.CreatedAt)];

    /// <summary>Deletes all but the newest <paramref name="keep"/> backups.</summary>
    public static void Prune(string folder, int keep)
    {
        foreach (var old in List(folder).Skip(Math.Max(1, keep)))
        {
            File.Delete(Path.Combine(folder, old.Name));
            File.Delete(Path.Combine(folder, old.Name + ".json"));
        }
    }

    /// <summary>
    /// Replaces <paramref name="target"/> with a verified <paramref name="backup"/>, removing the target's stale
    /// <c>-wal</c> and <c>-shm</c>. Refuses (returns why) while a service holds the target.
    /// </summary>
    public static string? Restore(string backup, string target)
    {
        if (!File.Exists(backup))
        {
            return $"{backup} does not exist.";
        }
        string integrity;
        try
        {
            (integrity, _) = Verify(backup);
        }
        catch (SqliteException e)
        {
            return $"{backup} is not a readable SQLite database: {e.Message}";
        }
        if (integrity != "ok")
        {
            return $"{backup} failed its integrity check: {integrity}";
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        using var held = DatabaseLock.Exclusive(target);
        if (held is null)
        {
            return $"A running service uses {target} (it holds {DatabaseLock.PathOf(target)}): stop it first.";
        }
        var incoming = target + ".restoring";
        File.Copy(backup, incoming, overwrite: true);
        // The old file's write-ahead log would otherwise be replayed into the restored one.
        File.Delete(target + "-wal");
        File.Delete(target + "-shm");
        File.Move(incoming, target, overwrite: true);
        return null;
    }

    private static string Hash(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static SqliteConnection Open(string file, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class BackupJson : JsonSerializerContext;
