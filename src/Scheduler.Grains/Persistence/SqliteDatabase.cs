using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// The SQLite file that holds both the Orleans grain storage and the read model. The schema version is kept in
/// <c>PRAGMA user_version</c>.
/// </summary>
public sealed class SqliteDatabase : SchedulerDatabase
{
    public const string DefaultConnectionString = "Data Source=data/scheduler.db";

    /// <summary>The SQLite invariant of the Orleans ADO.NET provider (mapped to Microsoft.Data.Sqlite).</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    // Where EnsureSchema sets the grain storage of a file older than schema version 4 aside while rebuilding it.
    private const string SetAsideGrainStorage = "OrleansStorage_v3";

    private const string GrainStorageColumns =
        "GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version";

    // SQLite admits a single writer per file; one gate per file within this process. Without it, concurrent
    // writes collide on the lock and Microsoft.Data.Sqlite retries a busy statement only every 150 ms.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public SqliteDatabase(string? connectionString, SqliteDurability durability = SqliteDurability.Full)
    {
        // Before any connection: the threading mode is chosen once per process.
        _ = SqliteThreading.MultiThread;
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
        _files = builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(FilePath) ? null : new SqliteFiles(FilePath);
        WriteGate = Gates.GetOrAdd(FilePath, _ => new SemaphoreSlim(1, 1));
    }

    private readonly SqliteFiles? _files;

    public override StorageProvider Provider => StorageProvider.Sqlite;

    public override string ConnectionString { get; }

    public override string Invariant => SqliteInvariant;

    public override string Location => FilePath;

    public override SemaphoreSlim WriteGate { get; }

    public string FilePath { get; }

    /// <summary>The <c>synchronous</c> setting of grain-state writes (see <see cref="SqliteDurability"/>).</summary>
    public SqliteDurability Durability { get; }

    private string Synchronous => Durability == SqliteDurability.Normal ? "NORMAL" : "FULL";

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // Wait for another writer's lock inside SQLite, in short steps, rather than fail with SQLITE_BUSY
        // (Microsoft.Data.Sqlite's own retry sleeps 150 ms between attempts). A native call, not a statement to
        // parse: this runs on every open of a pooled connection, queries included.
        SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, 10_000);
        // SQLite's own lower() folds ASCII only: "Émile" would never match a search for "émile".
        connection.CreateFunction(LowerFunction, static (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
        return connection;
    }

    /// <summary>Creates or updates the schema (idempotent) and switches the file to WAL mode.</summary>
    public override void EnsureSchema()
    {
        var script = ReadScript("sqlite-schema.sql");
        using var connection = (SqliteConnection)Open();
        using var transaction = connection.BeginTransaction();
        var rebuildGrainStorage = SetAsideHashKeyedGrainStorage(connection, transaction);
        Execute(connection, transaction, script
            .Replace("PRAGMA journal_mode = WAL;", "", StringComparison.Ordinal)
            .Replace("{{synchronous}}", Synchronous, StringComparison.Ordinal));
        if (rebuildGrainStorage)
        {
            Execute(connection, transaction, $"""
                INSERT INTO OrleansStorage ({GrainStorageColumns}) SELECT {GrainStorageColumns} FROM {SetAsideGrainStorage}
                 ORDER BY GrainTypeString, GrainIdExtensionString, GrainIdN0, GrainIdN1;
                DROP TABLE {SetAsideGrainStorage};
                """);
        }
        // Columns added after a table first shipped: CREATE TABLE IF NOT EXISTS leaves older files without them.
        EnsureColumn(connection, transaction, "interviewers", "working_hours", "TEXT NULL");
        EnsureColumn(connection, transaction, "interviewers", "max_per_day", "INTEGER NULL");
        EnsureColumn(connection, transaction, "interviewers", "buffer_minutes", "INTEGER NOT NULL DEFAULT 0");
        if (EnsureColumn(connection, transaction, "interviewer_skills", "status", "TEXT NOT NULL DEFAULT ''"))
        {
            // Skill rows written before they carried their interviewer's status get it, once.
            Execute(connection, transaction, """
                UPDATE interviewer_skills SET status = (SELECT i.status FROM interviewers i WHERE i.id = interviewer_skills.interviewer_id)
                 WHERE EXISTS (SELECT 1 FROM interviewers i WHERE i.id = interviewer_skills.interviewer_id)
                """);
        }
        Execute(connection, transaction, "CREATE INDEX IF NOT EXISTS ix_interviewer_skills_status ON interviewer_skills (skill, status)");
        // Recounted from the rows at every start (cheap: one pass over an index), so the totals can never drift.
        Execute(connection, transaction, """
            DELETE FROM interviewer_totals;
            INSERT INTO interviewer_totals (status, n) SELECT status, count(*) FROM interviewers WHERE deleted = 0 GROUP BY status;
            DELETE FROM event_totals;
            INSERT INTO event_totals (status, n) SELECT status, count(*) FROM interview_events WHERE deleted = 0 GROUP BY status;
            """);
        RebuildSearchIndex(connection, transaction, "interviewers", "name, email", live: null);
        RebuildSearchIndex(connection, transaction, "interview_events", "title, candidate_name, candidate_email, notes", live: "deleted = 0");
        Execute(connection, transaction, $"PRAGMA user_version = {SchemaVersion}");
        transaction.Commit();
        // journal_mode cannot change inside a transaction; it persists in the file once set.
        Execute(connection, null, "PRAGMA journal_mode = WAL;");
    }

    /// <summary>
    /// Files made before schema version 4 keep grain state in a WITHOUT ROWID table keyed by the grain's hash first:
    /// renamed out of the way here, so that the script creates the current table, which the rows are copied into.
    /// </summary>
    private static bool SetAsideHashKeyedGrainStorage(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var probe = connection.CreateCommand();
        probe.Transaction = transaction;
        probe.CommandText = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'OrleansStorage'";
        if (probe.ExecuteScalar() is not string sql || !sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        Execute(connection, transaction, $"ALTER TABLE OrleansStorage RENAME TO {SetAsideGrainStorage}");
        return true;
    }

    /// <summary>
    /// Builds the full-text index of <paramref name="table"/> from its rows (those matching <paramref name="live"/>, or
    /// all) when it does not hold one entry per such row: a file from before the index existed, or from before deleted
    /// rows were left out of it (the triggers keep it from then on). Its docsize table has a row per entry.
    /// </summary>
    private static void RebuildSearchIndex(SqliteConnection connection, SqliteTransaction transaction, string table, string columns, string? live)
    {
        var where = live is null ? "" : $" WHERE {live}";
        using var probe = connection.CreateCommand();
        probe.Transaction = transaction;
        probe.CommandText = $"SELECT (SELECT count(*) FROM {table}_fts_docsize) = (SELECT count(*) FROM {table}{where})";
        if (Convert.ToInt64(probe.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, transaction, $"""
                INSERT INTO {table}_fts ({table}_fts) VALUES ('delete-all');
                INSERT INTO {table}_fts (rowid, {columns}) SELECT rowid, {columns} FROM {table}{where};
                """);
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Adds the column unless the table has it; true when it was added.</summary>
    private static bool EnsureColumn(SqliteConnection connection, SqliteTransaction transaction, string table, string column, string definition)
    {
        using var probe = connection.CreateCommand();
        probe.Transaction = transaction;
        probe.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
        if (Convert.ToInt64(probe.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
        {
            return false;
        }
        using var alter = connection.CreateCommand();
        alter.Transaction = transaction;
        alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
        alter.ExecuteNonQuery();
        return true;
    }

    /// <summary>
    /// Null when the file opens on a fresh (unpooled) connection, answers, and carries the current schema;
    /// otherwise what is wrong.
    /// </summary>
    public override string? Problem()
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

    /// <summary>
    /// The writer's connection commits grain state and the read model together, so it syncs as
    /// <see cref="Durability"/> says (one sync per batch either way). Its temporary storage is memory: a statement
    /// that fires a trigger (the list totals) keeps a journal to undo itself alone, and on disk that was
    /// a temporary file created, written (17 KiB per interviewer created) and deleted in every batch.
    /// </summary>
    // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
    public override bool IsUniqueViolation(Exception error) => error is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 };

    public override void PrepareWriterConnection(DbConnection connection)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous = {Synchronous}; PRAGMA temp_store = MEMORY;";
        pragma.ExecuteNonQuery();
    }

    public override void RememberWriteTarget() => _files?.Remember();

    public override string? WriteTargetProblem() => _files?.Problem();

    public override string? StartupProblem() => _files?.Unwritable(folderToo: true) is { } problem
        ? $"{problem} SQLite cannot write {FilePath}; and where its -shm file (mapped into memory) cannot be written, a write kills the process with SIGBUS."
        : null;

    // SQLITE_PERM, _BUSY (another process held the lock past the busy timeout), _NOMEM, _READONLY, _IOERR, _CORRUPT,
    // _FULL, _CANTOPEN, _PROTOCOL, _NOTADB: the file, not the change.
    public override bool IsStorageFailure(Exception error) => error is SqliteException { SqliteErrorCode: 3 or 5 or 7 or 8 or 10 or 11 or 13 or 14 or 15 or 26 };

    // SQLITE_IOERR_FSYNC, _DIR_FSYNC: the WAL frames, commit mark included, were written before the sync failed, and
    // a recovery after a crash may find them.
    public override bool CommitMayHaveHappened(Exception error) => error is SqliteException { SqliteExtendedErrorCode: 1034 or 1290 };

    // Rewrites the header page with the value it has: a WAL frame, so a commit that needs the file system to take writes.
    public override string ProbeWriteSql => $"PRAGMA user_version = {SchemaVersion}";

    public override string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    public override string CaseInsensitive(string column) => $"{column} COLLATE NOCASE";

    public override string Lower(string column) => $"{LowerFunction}({column})";

    private const string LowerFunction = "scheduler_lower";

    /// <summary>SQLite keeps the totals by triggers (one writer: they cost a row per change, no contention).</summary>
    public override string? KeptTotalSql(string totals, bool byStatus) =>
        $"SELECT coalesce(sum(n), 0) FROM {totals}{(byStatus ? " WHERE status = @status" : "")}";

    /// <summary>SQLite's unary <c>+</c>: without statistics its planner would pick the status index (two values)
    /// over the skill index or the index that yields the requested order.</summary>
    public override string Unindexed(string column) => $"+{column}";
}
