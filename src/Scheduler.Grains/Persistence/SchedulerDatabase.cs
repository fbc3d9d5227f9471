using System.Data.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// The database behind the grains: the Orleans ADO.NET storage (and, on PostgreSQL, cluster membership) plus the
/// read model. Everything SQL that differs between SQLite and PostgreSQL is behind this type; the read-model
/// statements themselves are written once, in the SQL both understand.
/// </summary>
public abstract class SchedulerDatabase
{
    /// <summary>The schema version <see cref="EnsureSchema"/> records; readiness checks it.</summary>
    public const int SchemaVersion = 7;

    public static SchedulerDatabase Create(StorageProvider provider, string? connectionString, SqliteDurability durability = SqliteDurability.Full) =>
        provider switch
        {
            StorageProvider.PostgreSql => new PostgreSqlDatabase(connectionString),
            _ => new SqliteDatabase(connectionString, durability),
        };

    public abstract StorageProvider Provider { get; }

    /// <summary>The database system as OpenTelemetry names it (<c>db.system.name</c>).</summary>
    public string SystemName => Provider == StorageProvider.PostgreSql ? "postgresql" : "sqlite";

    public abstract string ConnectionString { get; }

    /// <summary>The ADO.NET invariant name the Orleans providers use for this database.</summary>
    public abstract string Invariant { get; }

    /// <summary>Where the data is, for logs (a file path, or host and database; never a password).</summary>
    public abstract string Location { get; }

    /// <summary>
    /// Held around every write when the database admits one writer at a time (SQLite); null when writers may run
    /// side by side (PostgreSQL).
    /// </summary>
    public virtual SemaphoreSlim? WriteGate => null;

    public abstract DbConnection Open();

    /// <summary>
    /// Opens a connection without blocking the caller's thread where the database is reached over a network
    /// (PostgreSQL); SQLite opens a file, synchronously underneath whatever the API.
    /// </summary>
    public virtual ValueTask<DbConnection> OpenAsync() => ValueTask.FromResult(Open());

    /// <summary>Creates or updates the schema: idempotent, safe when several processes start at once.</summary>
    public abstract void EnsureSchema();

    /// <summary>Null when the database answers and carries the current schema; otherwise what is wrong.</summary>
    public abstract string? Problem();

    /// <summary>
    /// Whether a statement run often is worth preparing on the server explicitly (PostgreSQL: it keeps the plan per
    /// connection). SQLite's provider compiles each command once by itself.
    /// </summary>
    public virtual bool PreparesStatements => false;

    /// <summary>
    /// Whether the writer sends the statements of a change whose results it does not need together, in one round trip
    /// (a server across a network); SQLite runs in the process, where a statement costs no round trip.
    /// </summary>
    public virtual bool BatchesStatements => false;

    /// <summary>How many connections the <see cref="DatabaseWriter"/> commits on side by side (one, where the database admits one writer).</summary>
    public virtual int WriterLanes => 1;

    /// <summary>Prepares the connection the <see cref="DatabaseWriter"/> keeps for its batches.</summary>
    public virtual void PrepareWriterConnection(DbConnection connection)
    {
    }

    /// <summary>
    /// Remembers what the writer writes to (SQLite: which file the configured path names), when the writer opens its
    /// connection; <see cref="WriteTargetProblem"/> compares against it.
    /// </summary>
    public virtual void RememberWriteTarget()
    {
    }

    /// <summary>
    /// Checked before every batch, cheaply: null when the writer still writes what it was configured with and may
    /// write it; otherwise why not (the batch is refused, nothing of it stored).
    /// </summary>
    public virtual string? WriteTargetProblem() => null;

    /// <summary>Checked at start-up, before any connection: null, or why the database cannot be written.</summary>
    public virtual string? StartupProblem() => null;

    /// <summary>
    /// Whether <paramref name="error"/> says the storage cannot take writes (a read-only or full file system, an I/O
    /// error, a lost connection), rather than that this change is wrong.
    /// </summary>
    public virtual bool IsStorageFailure(Exception error) => false;

    /// <summary>Whether a commit that failed with <paramref name="error"/> may still have been made durable.</summary>
    public virtual bool CommitMayHaveHappened(Exception error) => false;

    /// <summary>A statement that writes nothing of the data: what the writer's probe commits to learn whether writes succeed again.</summary>
    public virtual string ProbeWriteSql => "SELECT 1";

    /// <summary>Whether <paramref name="error"/> is a unique index refusing a row (a claim already taken).</summary>
    public abstract bool IsUniqueViolation(Exception error);

    /// <summary>Whether <paramref name="error"/> ends only this attempt (a deadlock victim, a serialization failure): try again.</summary>
    public virtual bool IsTransient(Exception error) => false;

    /// <summary>SQL that is true when <paramref name="parameter"/> occurs in <paramref name="column"/>.</summary>
    public abstract string Contains(string column, string parameter);

    /// <summary>The expression a case-insensitive order uses (matching the schema's index).</summary>
    public abstract string CaseInsensitive(string column);

    /// <summary><paramref name="column"/> lowercased as .NET lowercases a search text (every alphabet, not ASCII alone).</summary>
    public virtual string Lower(string column) => $"lower({column})";

    /// <summary>Whether another process may write the read model at the same time (several silos on one PostgreSQL).</summary>
    public virtual bool ConcurrentWriters => false;

    /// <summary>
    /// <paramref name="column"/> in a condition the planner should not answer from an index (a column of few
    /// distinct values, when a better index serves the order or another filter).
    /// </summary>
    public virtual string Unindexed(string column) => column;

    /// <summary>
    /// The query for the number of live rows that a totals table (<c>interviewer_totals</c>, <c>event_totals</c>)
    /// keeps per status, of the status in <c>@status</c> or of all; null where the database keeps no totals and a
    /// list counts its rows (PostgreSQL: every silo's creates would queue on one counter row).
    /// </summary>
    public virtual string? KeptTotalSql(string totals, bool byStatus) => null;

    /// <summary>
    /// A join that looks up the rows of <paramref name="table"/> (as <paramref name="alias"/>) matching <paramref name="on"/>
    /// once per row of what precedes it, in that order, whatever the planner estimates: for a few rows known to be few.
    /// The condition is repeated in the WHERE clause by the caller. SQLite keeps a CROSS JOIN's order.
    /// </summary>
    public virtual string LookupJoin(string table, string alias, string on) => $"CROSS JOIN {table} {alias}";

    /// <summary>
    /// <paramref name="stateWrite"/> (a grain-state upsert or clear returning the new version), checked on the server
    /// against <c>@ExpectedVersion</c>: a mismatch fails the transaction. Only where a batch commits with its round trip.
    /// </summary>
    public virtual string CheckedStateWrite(string stateWrite) =>
        throw new NotSupportedException("Only a server's batches commit with their round trip.");

    /// <summary>
    /// The rows, one column <c>value</c>, of a list bound to <paramref name="parameter"/> as <c>ListValue</c>
    /// gives it: a subquery, for <c>IN</c> or a <c>FROM</c> (with an alias). SQLite reads a JSON array.
    /// </summary>
    public virtual string ValuesOf(string parameter) => $"(SELECT value FROM json_each({parameter}))";

    /// <summary>What <paramref name="values"/> are bound as, for <see cref="ValuesOf"/>.</summary>
    public virtual object ListValue(IReadOnlyList<string> values) => System.Text.Json.JsonSerializer.Serialize(values.ToArray(), ReadModelJson.Default.StringArray);

    /// <inheritdoc cref="ListValue(IReadOnlyList{string})"/>
    public virtual object ListValue(IReadOnlyList<long> values) => System.Text.Json.JsonSerializer.Serialize(values.ToArray(), ReadModelJson.Default.Int64Array);

    protected static string ReadScript(string name)
    {
        using var stream = typeof(SchedulerDatabase).Assembly.GetManifestResourceStream($"Scheduler.Grains.Persistence.Sql.{name}")
            ?? throw new InvalidOperationException($"The embedded script {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
