using Scheduler.Grains.Persistence;

namespace Scheduler.Silo.Hosting;

/// <summary>
/// <c>Scheduler.Silo migrate SQLITE_CONNECTION POSTGRESQL_CONNECTION</c>: copies a SQLite store into an empty
/// PostgreSQL database (schema created there first), then prints the checks: rows per table, sampled rows
/// compared column by column. Exits 0 only when every table verified. Stop the service on the SQLite file first.
/// </summary>
public static class MigrateCommand
{
    public static int Run(string sqlite, string postgreSql, TextWriter output)
    {
        using var target = new PostgreSqlDatabase(postgreSql);
        var source = new SqliteDatabase(sqlite);
        if (!File.Exists(source.FilePath))
        {
            output.WriteLine($"migrate: {source.FilePath} does not exist.");
            return 2;
        }
        output.WriteLine($"migrate: {source.Location} -> {target.Location}");
        IReadOnlyList<TableMigration> tables;
        try
        {
            tables = StoreMigration.Copy(source, target);
        }
        catch (Exception error) when (error is InvalidOperationException or System.Data.Common.DbException)
        {
            // A target that is not empty, a server that refuses: say so, without a stack trace.
            output.WriteLine($"migrate: {error.Message}");
            return 2;
        }
        foreach (var table in tables)
        {
            output.WriteLine($"{table.Table,-20} source {table.SourceRows,8} target {table.TargetRows,8} sampled {table.RowsCompared,4} mismatched {table.Mismatches,3} {(table.Verified ? "ok" : "FAILED")}");
        }
        var verified = tables.All(t => t.Verified);
        output.WriteLine(verified ? "migrate: verified" : "migrate: verification FAILED");
        return verified ? 0 : 1;
    }
}
