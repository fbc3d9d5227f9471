using System.Data;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Reads grain state (SQLite) with the storage's own <c>ReadFromStorageKey</c> statement, read from
/// <c>OrleansQuery</c> like the writer's upsert, on <see cref="ReadModelQueries"/>' long-lived connections where it is
/// compiled once. The ADO.NET provider opens a pooled connection and compiles the statement for every read: most of
/// what activating a grain cost here. A read runs on the caller's thread, as the provider's does
/// (Microsoft.Data.Sqlite's async methods are synchronous), and holds its snapshot only while the row is read.
/// </summary>
internal sealed class SqliteStateReader(ReadModelQueries queries)
{
    private string? _sql;

    /// <summary>The row for <paramref name="key"/>, or null when there is none.</summary>
    public StoredGrainState? Read(GrainStateKey key) => queries.Run(session =>
    {
        var command = session.Command(_sql ??= session.StoredQuery("ReadFromStorageKey"));
        key.Bind(command);
        using var reader = command.ExecuteReader(CommandBehavior.SingleRow);
        return reader.Read()
            ? new StoredGrainState(reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0), reader.GetInt32(1))
            : (StoredGrainState?)null;
    });
}
