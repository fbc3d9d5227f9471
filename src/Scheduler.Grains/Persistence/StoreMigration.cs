using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Scheduler.Grains.Persistence;

/// <summary>What the migration copied from one table, and what its checks found.</summary>
public sealed record TableMigration(string Table, long SourceRows, long TargetRows, int RowsCompared, int Mismatches)
{
    public bool Verified => SourceRows == TargetRows && Mismatches == 0;
}

/// <summary>
/// Copies a SQLite store (grain state, read model, audit log, users, email claims, pending changes) into an empty PostgreSQL database in one
/// transaction, then verifies it: row counts per table, and a sample of rows compared column by column.
/// Cluster membership and the Orleans query texts are not copied: the target's schema has its own.
/// </summary>
public static class StoreMigration
{
    private static readonly (string Table, string[] Key)[] Tables =
    [
        ("OrleansStorage", ["GrainIdHash", "GrainTypeHash", "GrainIdN0", "GrainIdN1", "GrainTypeString", "GrainIdExtensionString", "ServiceId"]),
        ("interviewers", ["id"]),
        ("interviewer_skills", ["skill", "interviewer_id"]),
        ("interview_events", ["id"]),
        ("users", ["id"]),
        ("audit_logs", ["id"]),
        ("email_claims", ["kind", "owner_id"]),
        ("pending_changes", ["grain_class", "grain_id"]),
    ];

    // Columns whose type differs between the two schemas (a timestamp kept as text in SQLite): copied, not compared.
    private static readonly HashSet<string> NotCompared = new(StringComparer.OrdinalIgnoreCase) { "ModifiedOn" };

    public static IReadOnlyList<TableMigration> Copy(SqliteDatabase source, PostgreSqlDatabase target, int sampleRows = 50)
    {
        source.EnsureSchema();
        target.EnsureSchema();
        using var from = source.Open();
        using (var to = (NpgsqlConnection)target.Open())
        using (var transaction = to.BeginTransaction())
        {
            foreach (var (table, _) in Tables)
            {
                if (Count(to, table) > 0)
                {
                    throw new InvalidOperationException($"The target table {table} is not empty; migrate into a fresh database.");
                }
            }
            foreach (var (table, _) in Tables)
            {
                CopyTable(from, to, transaction, table);
            }
            transaction.Commit();
        }

        using var check = target.Open();
        return [.. Tables.Select(t => Verify(from, check, t.Table, t.Key, sampleRows))];
    }

    private static void CopyTable(DbConnection from, NpgsqlConnection to, NpgsqlTransaction transaction, string table)
    {
        var targetColumns = Columns(to, table);
        using var select = from.CreateCommand();
        select.CommandText = $"SELECT * FROM {table}";
        using var reader = select.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).Where(targetColumns.Contains).ToArray();
        using var insert = new NpgsqlCommand(
            $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, n) => "$" + (n + 1)))})",
            to, transaction);
        while (reader.Read())
        {
            insert.Parameters.Clear();
            foreach (var column in columns)
            {
                insert.Parameters.Add(Parameter(reader.GetValue(reader.GetOrdinal(column))));
            }
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Text goes untyped, so PostgreSQL converts it to the column's type (a timestamp, say).</summary>
    private static NpgsqlParameter Parameter(object value) => value switch
    {
        DBNull => new NpgsqlParameter { Value = DBNull.Value },
        string text => new NpgsqlParameter { Value = text, NpgsqlDbType = NpgsqlDbType.Unknown },
        _ => new NpgsqlParameter { Value = value },
    };

    private static TableMigration Verify(DbConnection from, DbConnection to, string table, string[] key, int sampleRows)
    {
        var sourceRows = Count(from, table);
        var targetRows = Count(to, table);
        var targetColumns = Columns(to, table);
        using var sample = from.CreateCommand();
        sample.CommandText = $"SELECT * FROM {table} ORDER BY random() LIMIT {sampleRows.ToString(CultureInfo.InvariantCulture)}";
        using var reader = sample.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)
            .Where(c => targetColumns.Contains(c) && !NotCompared.Contains(c)).ToArray();
        int compared = 0, mismatches = 0;
        while (reader.Read())
        {
            compared++;
            using var lookup = to.CreateCommand();
            lookup.CommandText = $"SELECT {string.Join(", ", columns)} FROM {table} WHERE {string.Join(" AND ", key.Select((k, n) => $"{k} = @k{n}"))}";
            for (var n = 0; n < key.Length; n++)
            {
                lookup.Add($"@k{n}", reader.GetValue(reader.GetOrdinal(key[n])));
            }
            using var row = lookup.ExecuteReader();
            if (!row.Read() || columns.Where((c, n) => Text(reader.GetValue(reader.GetOrdinal(c))) != Text(row.GetValue(n))).Any())
            {
                mismatches++;
            }
        }
        return new TableMigration(table, sourceRows, targetRows, compared, mismatches);
    }

    private static string Text(object value) => value switch
    {
        DBNull => "<null>",
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static long Count(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return command.ScalarLong();
    }

    private static HashSet<string> Columns(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} WHERE 1 = 0";
        using var reader = command.ExecuteReader();
        return new HashSet<string>(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName), StringComparer.OrdinalIgnoreCase);
    }
}
