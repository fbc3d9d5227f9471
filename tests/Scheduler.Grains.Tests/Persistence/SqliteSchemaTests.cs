using Microsoft.Data.Sqlite;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>A SQLite file made by an older schema is brought to the current one at start-up, its grain state intact.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-schema-" + Guid.NewGuid().ToString("N"));

    private string FilePath => Path.Combine(_directory, "scheduler.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void EnsureSchema_Version3File_RebuildsGrainStorageWithEveryRowAndItsVersion()
    {
        var database = new SqliteDatabase($"Data Source={FilePath}");
        CreateVersion3File();

        database.EnsureSchema();

        using var connection = Open();
        Assert.Null(database.Problem());
        Assert.Equal(SchedulerDatabase.SchemaVersion, Scalar<long>(connection, "PRAGMA user_version"));
        Assert.DoesNotContain("WITHOUT ROWID", Scalar<string>(connection, "SELECT sql FROM sqlite_schema WHERE name = 'OrleansStorage'"),
            StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, Scalar<long>(connection, "SELECT count(*) FROM sqlite_schema WHERE name = 'OrleansStorage_v3'"));
        Assert.Equal(
            [("interviewer", "a1", 3L, "state-a1"), ("interviewer", "b2", 1L, "state-b2"), ("email-index", "x@example.com", 2L, "owner")],
            Rows(connection));
    }

    [Fact]
    public void EnsureSchema_RebuiltGrainStorage_KeepsTheVersionCheckOfTheStorageQuery()
    {
        var database = new SqliteDatabase($"Data Source={FilePath}");
        CreateVersion3File();
        database.EnsureSchema();
        using var connection = Open();

        Assert.Equal(4L, Upsert(connection, "a1", version: 3, "next"));
        Assert.Null(Upsert(connection, "a1", version: 3, "stale"));
        Assert.Null(Upsert(connection, "b2", version: null, "as if new"));
        Assert.Equal(1L, Upsert(connection, "c3", version: null, "new"));
        Assert.Equal(
            [("interviewer", "a1", 4L, "next"), ("interviewer", "b2", 1L, "state-b2"), ("interviewer", "c3", 1L, "new"),
             ("email-index", "x@example.com", 2L, "owner")],
            Rows(connection));
    }

    [Fact]
    public void EnsureSchema_RunTwice_LeavesTheRowsAsTheyWere()
    {
        var database = new SqliteDatabase($"Data Source={FilePath}");
        CreateVersion3File();

        database.EnsureSchema();
        database.EnsureSchema();

        using var connection = Open();
        Assert.Null(database.Problem());
        Assert.Equal(3, Rows(connection).Count);
    }

    [Fact]
    public void EnsureSchema_SkillRowsWithoutStatus_GetTheirInterviewersStatus()
    {
        var database = new SqliteDatabase($"Data Source={FilePath}");
        Directory.CreateDirectory(_directory);
        database.EnsureSchema();
        using (var old = Open())
        {
            // interviewer_skills as schema version 6 made it: no status column, no index on it.
            using var command = old.CreateCommand();
            command.CommandText = """
                DROP TABLE interviewer_skills;
                CREATE TABLE interviewer_skills (skill TEXT NOT NULL, interviewer_id TEXT NOT NULL, PRIMARY KEY (skill, interviewer_id)) WITHOUT ROWID;
                INSERT INTO interviewers (id, name, email, email_norm, skills, status, timezone, created_at, updated_at, version, storage_version)
                VALUES ('a', 'A', 'a@example.com', 'a@example.com', '["go","sql"]', 'active', 'UTC', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 1, 1),
                       ('b', 'B', 'b@example.com', 'b@example.com', '["go"]', 'inactive', 'UTC', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 1, 1);
                INSERT INTO interviewer_skills VALUES ('go', 'a'), ('sql', 'a'), ('go', 'b');
                PRAGMA user_version = 6;
                """;
            command.ExecuteNonQuery();
        }

        database.EnsureSchema();

        using var connection = Open();
        Assert.Null(database.Problem());
        Assert.Equal("go a active, go b inactive, sql a active", Scalar<string>(connection, """
            SELECT group_concat(line, ', ') FROM (SELECT skill || ' ' || interviewer_id || ' ' || status AS line FROM interviewer_skills ORDER BY 1)
            """));
        Assert.Equal(1L, Scalar<long>(connection, "SELECT count(*) FROM sqlite_schema WHERE name = 'ix_interviewer_skills_status'"));
    }

    /// <summary>The grain storage as schema version 3 made it (WITHOUT ROWID, keyed by the hash first), with three grains.</summary>
    private void CreateVersion3File()
    {
        Directory.CreateDirectory(_directory);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE OrleansQuery (QueryKey TEXT NOT NULL PRIMARY KEY, QueryText TEXT NOT NULL);
            CREATE TABLE OrleansStorage
            (
                GrainIdHash INTEGER NOT NULL, GrainIdN0 INTEGER NOT NULL, GrainIdN1 INTEGER NOT NULL, GrainTypeHash INTEGER NOT NULL,
                GrainTypeString TEXT NOT NULL, GrainIdExtensionString TEXT NOT NULL, ServiceId TEXT NOT NULL, PayloadBinary BLOB NULL,
                ModifiedOn TEXT NOT NULL, Version INTEGER NOT NULL,
                PRIMARY KEY (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId)
            ) WITHOUT ROWID;
            INSERT INTO OrleansStorage VALUES
                (-7, 0, 0, 11, 'interviewer', 'a1', 'scheduler', CAST('state-a1' AS BLOB), '2026-11-01T00:00:00.000Z', 3),
                (5, 0, 0, 11, 'interviewer', 'b2', 'scheduler', CAST('state-b2' AS BLOB), '2026-11-01T00:00:00.000Z', 1),
                (9, 0, 0, 13, 'email-index', 'x@example.com', 'scheduler', CAST('owner' AS BLOB), '2026-11-01T00:00:00.000Z', 2);
            PRAGMA user_version = 3;
            """;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Runs the storage's own <c>WriteToStorageKey</c> query, as the Orleans provider and the writer do.</summary>
    private static long? Upsert(SqliteConnection connection, string key, long? version, string payload)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Scalar<string>(connection, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'");
        command.Add("@GrainIdHash", key == "a1" ? -7 : key == "b2" ? 5 : 21)
            .Add("@GrainIdN0", 0L).Add("@GrainIdN1", 0L).Add("@GrainTypeHash", 11)
            .Add("@GrainTypeString", "interviewer").Add("@GrainIdExtensionString", key).Add("@ServiceId", "scheduler")
            .Add("@GrainStateVersion", version).Add("@PayloadBinary", System.Text.Encoding.UTF8.GetBytes(payload));
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(0) : null;
    }

    private static List<(string Type, string Key, long Version, string Payload)> Rows(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT GrainTypeString, GrainIdExtensionString, Version, CAST(PayloadBinary AS TEXT) FROM OrleansStorage
             ORDER BY GrainTypeString DESC, GrainIdExtensionString
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, long, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3)));
        }
        return rows;
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }
}
