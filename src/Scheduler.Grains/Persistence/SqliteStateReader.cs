using System.Data;
using System.Data.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>The key columns of one grain-state row, as the Orleans ADO.NET provider binds them.</summary>
internal readonly record struct GrainStateKey(
    int GrainIdHash,
    long GrainIdN0,
    long GrainIdN1,
    int GrainTypeHash,
    string GrainTypeString,
    string? GrainIdExtensionString,
    string ServiceId)
{
    public void Bind(DbCommand command) => command
        .Add("@GrainIdHash", GrainIdHash)
        .Add("@GrainIdN0", GrainIdN0)
        .Add("@GrainIdN1", GrainIdN1)
        .Add("@GrainTypeHash", GrainTypeHash)
        .Add("@GrainTypeString", GrainTypeString)
        .Add("@GrainIdExtensionString", GrainIdExtensionString)
        .Add("@ServiceId", ServiceId);
}

/// <summary>A grain-state row as read: its payload (null once cleared) and version.</summary>
internal readonly record struct StoredGrainState(byte[]? Payload, int Version);

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
