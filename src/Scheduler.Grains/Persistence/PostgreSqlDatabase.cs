using System.Data.Common;
using Npgsql;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// A PostgreSQL database shared by every silo of a cluster: Orleans membership and grain storage, and the read
/// model. The schema version is kept in the <c>scheduler_schema</c> table.
/// </summary>
public sealed class PostgreSqlDatabase : SchedulerDatabase, IDisposable
{
    /// <summary>The Npgsql invariant of the Orleans ADO.NET providers.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    // Any constant: the key of the advisory lock that keeps two silos starting together from creating the schema at once.
    private const long SchemaLockKey = 0x5343_4845_4455_4C45;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _probeConnectionString;

    public PostgreSqlDatabase(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "Storage:Provider is PostgreSql but ConnectionStrings:Scheduler is empty; give it a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...).");
        }
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // A pooled connection goes back as it came: nothing here changes session state (no SET, no temporary table,
        // no LISTEN), so the reset Npgsql would run on every return (DISCARD ALL: a round trip per query) buys nothing.
        builder.NoResetOnClose = true;
        ConnectionString = builder.ConnectionString;
        Location = $"{builder.Host}:{builder.Port}/{builder.Database}";
        // No auto-prepare (Npgsql's MaxAutoPrepare): with it, the state upsert of a new grain came back without its row
        // and the list totals' triggers saw rows go missing (as in npgsql/npgsql#6391). The few statements run most
        // often are prepared explicitly instead (GrainStateReader, GrainStateItem).
        _dataSource = NpgsqlDataSource.Create(builder);
        // The health probe: a fresh connection with short timeouts, not one from the pool the requests share (an
        // exhausted pool, or a server that does not answer, would hold the probe for the pool's 15 s).
        _probeConnectionString = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false, Timeout = 3, CommandTimeout = 3 }.ConnectionString;
    }

    public override StorageProvider Provider => StorageProvider.PostgreSql;

    public override string ConnectionString { get; }

    public override string Invariant => NpgsqlInvariant;

    public override string Location { get; }

    public override DbConnection Open() => _dataSource.OpenConnection();

    public override async ValueTask<DbConnection> OpenAsync() => await _dataSource.OpenConnectionAsync();

    public override void EnsureSchema()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey})");
        Execute(connection, transaction, ReadScript("postgresql-orleans.sql"));
        Execute(connection, transaction, ReadScript("postgresql-schema.sql"));
        Execute(connection, transaction, $"""
            INSERT INTO scheduler_schema (id, version) VALUES (1, {SchemaVersion})
            ON CONFLICT (id) DO UPDATE SET version = excluded.version
            """);
        transaction.Commit();
        RecountTotals(connection, "interviewer_totals", "interviewers");
        RecountTotals(connection, "event_totals", "interview_events");
    }

    /// <summary>
    /// Recounts a totals table from its rows, folding its shards into one. The lock waits for every transaction that
    /// has counted into the table to commit, and holds new ones back until the recount has committed, so none is
    /// counted twice or missed. One table per transaction: a writer may hold one totals table while it waits for the
    /// other, and taking both here could close that circle.
    /// </summary>
    private static void RecountTotals(NpgsqlConnection connection, string totals, string table)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"""
            LOCK TABLE {totals} IN EXCLUSIVE MODE;
            DELETE FROM {totals};
            INSERT INTO {totals} (status, shard, n) SELECT status, 0, count(*) FROM {table} WHERE deleted = 0 GROUP BY status;
            """);
        transaction.Commit();
    }

    /// <summary>A lateral subquery, kept apart by OFFSET 0 so that it is not merged into a join the planner may reorder.</summary>
    public override string LookupJoin(string table, string alias, string on) =>
        $"CROSS JOIN LATERAL (SELECT * FROM {table} {alias} WHERE {on} OFFSET 0) {alias}";

    public override string CheckedStateWrite(string stateWrite) =>
        $"WITH written AS ({stateWrite.TrimEnd(';', ' ', '\n', '\r')}) SELECT public.scheduler_expect_version((SELECT NewGrainStateVersion FROM written), @ExpectedVersion)";

    /// <summary>An array parameter (<c>ListValue</c>), one row per element.</summary>
    public override string ValuesOf(string parameter) => $"(SELECT value FROM unnest({parameter}) AS list(value))";

    public override object ListValue(IReadOnlyList<string> values) => values.ToArray();

    public override object ListValue(IReadOnlyList<long> values) => values.ToArray();

    /// <summary>The sum of the totals table's shards (see postgresql-schema.sql).</summary>
    public override string? KeptTotalSql(string totals, bool byStatus) =>
        $"SELECT coalesce(sum(n), 0)::bigint FROM {totals}{(byStatus ? " WHERE status = @status" : "")}";

    public override string? Problem()
    {
        try
        {
            using var connection = new NpgsqlConnection(_probeConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT version FROM scheduler_schema WHERE id = 1), (SELECT count(*) FROM OrleansQuery)";
            using var reader = command.ExecuteReader();
            reader.Read();
            var version = reader.IsDBNull(0) ? 0 : reader.GetInt32(0);
            return version != SchemaVersion ? $"Schema version is {version}, expected {SchemaVersion}."
                : reader.GetInt64(1) == 0 ? "The Orleans storage queries are missing."
                : null;
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException)
        {
            return $"The database does not answer: {error.Message}";
        }
    }

    public override bool IsUniqueViolation(Exception error) => error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTransient(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    // The connection failed, or the server refused for itself: out of disk or memory (53), connection (08), shut down
    // (57P), an I/O error (58), a read-only standby (25006).
    public override bool IsStorageFailure(Exception error) => error switch
    {
        PostgresException e => e.SqlState.StartsWith("53", StringComparison.Ordinal) || e.SqlState.StartsWith("08", StringComparison.Ordinal)
            || e.SqlState.StartsWith("57P", StringComparison.Ordinal) || e.SqlState.StartsWith("58", StringComparison.Ordinal)
            || e.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction,
        NpgsqlException => true,
        _ => false,
    };

    // The connection failed with COMMIT sent: the server may have committed. An error the server answered rolled back.
    public override bool CommitMayHaveHappened(Exception error) => error is NpgsqlException and not PostgresException;

    public override string Contains(string column, string parameter) => $"strpos({column}, {parameter}) > 0";

    public override bool ConcurrentWriters => true;

    public override bool PreparesStatements => true;

    public override bool BatchesStatements => true;

    // Each lane is one server process at a time: with one, the server's other cores would idle under a write load. One
    // per core rather than two: fewer, larger batches per commit (docs/performance.md, 2026-12-07 morning).
    public override int WriterLanes => Math.Clamp(Environment.ProcessorCount, 2, 8);

    public override string CaseInsensitive(string column) => $"lower({column})";

    public void Dispose() => _dataSource.Dispose();

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
