using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Scheduler.Grains.Persistence;

/// <summary>The SQLite file that holds both the Orleans grain storage and the read model.</summary>
public sealed class SchedulerDatabase
{
    public const string DefaultConnectionString = "Data Source=data/scheduler.db";

    /// <summary>Stored in <c>PRAGMA user_version</c> by <see cref="EnsureSchema"/>; readiness checks it.</summary>
    public const int SchemaVersion = 3;

    public SchedulerDatabase(string? connectionString, SqliteDurability durability = SqliteDurability.Full)
    {
        Durability = durability;
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connectionString) ? DefaultConnectionString : connectionString)
        {
            Pooling = true,
        };
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        ConnectionString = builder.ToString();
        FilePath = builder.DataSource;
    }

    public string ConnectionString { get; }

    public string FilePath { get; }

    /// <summary>The <c>synchronous</c> setting of grain-state writes (see <see cref="SqliteDurability"/>).</summary>
    public SqliteDurability Durability { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // Wait for another writer's lock inside SQLite, in short steps, rather than fail with SQLITE_BUSY
        // (Microsoft.Data.Sqlite's own retry sleeps 150 ms between attempts).
        using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 10000;";
        busy.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Creates or updates the schema (idempotent) and switches the file to WAL mode.</summary>
    public void EnsureSchema()
    {
        using var stream = typeof(SchedulerDatabase).Assembly.GetManifestResourceStream("Scheduler.Grains.Persistence.Sql.sqlite-schema.sql")
            ?? throw new InvalidOperationException("The embedded SQLite schema is missing.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd();
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = script
            .Replace("PRAGMA journal_mode = WAL;", "", StringComparison.Ordinal)
            .Replace("{{synchronous}}", Durability == SqliteDurability.Normal ? "NORMAL" : "FULL", StringComparison.Ordinal);
        command.ExecuteNonQuery();
        // Columns added after a table first shipped: CREATE TABLE IF NOT EXISTS leaves older files without them.
        EnsureColumn(connection, transaction, "interviewers", "working_hours", "TEXT NULL");
        EnsureColumn(connection, transaction, "interviewers", "max_per_day", "INTEGER NULL");
        EnsureColumn(connection, transaction, "interviewers", "buffer_minutes", "INTEGER NOT NULL DEFAULT 0");
        using (var version = connection.CreateCommand())
        {
            version.Transaction = transaction;
            version.CommandText = $"PRAGMA user_version = {SchemaVersion}";
            version.ExecuteNonQuery();
        }
        transaction.Commit();
        // journal_mode cannot change inside a transaction; it persists in the file once set.
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL;";
        wal.ExecuteNonQuery();
    }

    private static void EnsureColumn(SqliteConnection connection, SqliteTransaction transaction, string table, string column, string definition)
    {
        using var probe = connection.CreateCommand();
        probe.Transaction = transaction;
        probe.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
        if (Convert.ToInt64(probe.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
        {
            return;
        }
        using var alter = connection.CreateCommand();
        alter.Transaction = transaction;
        alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
        alter.ExecuteNonQuery();
    }

    /// <summary>
    /// Null when the file opens on a fresh (unpooled) connection, answers, and carries the current schema;
    /// otherwise what is wrong.
    /// </summary>
    public string? Problem()
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString)
            {
                Pooling = false,
                Mode = SqliteOpenMode.ReadWrite,
            }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version; SELECT count(*) FROM OrleansQuery;";
            using var reader = command.ExecuteReader();
            reader.Read();
            var version = reader.GetInt64(0);
            reader.NextResult();
            reader.Read();
            return version != SchemaVersion ? $"Schema version is {version}, expected {SchemaVersion}."
                : reader.GetInt64(0) == 0 ? "The Orleans storage queries are missing."
                : null;
        }
        catch (SqliteException error)
        {
            return $"The database does not answer: {error.Message}";
        }
    }
}

/// <summary>How grain-state writes reach the disk (SQLite's <c>synchronous</c> in WAL mode).</summary>
public enum SqliteDurability
{
    /// <summary>Every commit is synced: an acknowledged write survives a killed process and a power loss.</summary>
    Full,

    /// <summary>
    /// Commits are synced at checkpoints: an acknowledged write survives a killed process (what the OS has
    /// been given is not lost), but a power loss may take the last commits. Much cheaper per write.
    /// </summary>
    Normal,
}

/// <summary>Fixed-width ISO 8601 UTC text, so that timestamps compare and sort as strings.</summary>
public static class SqlTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset FromText(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
