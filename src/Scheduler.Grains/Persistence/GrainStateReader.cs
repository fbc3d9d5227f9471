using System.Data;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Reads grain state with the storage's own <c>ReadFromStorageKey</c> statement (read from <c>OrleansQuery</c>, like
/// the writer's upsert), compiled once per connection and reused. The ADO.NET provider compiles it for every read: on
/// SQLite that was most of what activating a grain cost, on PostgreSQL the planning alone took 130 µs of the server's
/// CPU per read, more than running it. On SQLite the read runs on <see cref="ReadModelQueries"/>' long-lived
/// connections and completes inline (a local file; Microsoft.Data.Sqlite's async methods are synchronous); on
/// PostgreSQL on a pooled connection with asynchronous I/O, as a server-side prepared statement that Npgsql keeps on
/// each physical connection, so only a connection's first read prepares it.
/// </summary>
internal sealed class GrainStateReader(ReadModelQueries queries)
{
    private string? _sql;

    /// <summary>The row for <paramref name="key"/>, or null when there is none.</summary>
    public Task<StoredGrainState?> ReadAsync(GrainStateKey key) => queries.RunAsync(async session =>
    {
        var command = session.Command(_sql ??= await session.StoredQueryAsync("ReadFromStorageKey"));
        key.Bind(command);
        await using var reader = await session.QueryAsync(command, CommandBehavior.SingleRow);
        return await reader.ReadAsync()
            ? new StoredGrainState(reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0), reader.GetInt32(1))
            : (StoredGrainState?)null;
    });
}
