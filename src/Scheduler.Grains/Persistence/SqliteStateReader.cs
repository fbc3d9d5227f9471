using System.Collections.Concurrent;
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
/// <c>OrleansQuery</c> like the writer's upsert, and prepared once on each of a few long-lived connections, one per
/// concurrent reader. The ADO.NET provider opens a pooled connection and compiles the statement for every read:
/// most of what activating a grain cost here. A read runs on the caller's thread, as the provider's does
/// (Microsoft.Data.Sqlite's async methods are synchronous), and holds its snapshot only while the row is read.
/// </summary>
internal sealed class SqliteStateReader(SchedulerDatabase database) : IDisposable
{
    private readonly ConcurrentBag<Session> _idle = [];
    private volatile bool _disposed;

    /// <summary>The row for <paramref name="key"/>, or null when there is none.</summary>
    public StoredGrainState? Read(GrainStateKey key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _idle.TryTake(out var idle) ? idle : new Session(database);
        try
        {
            var found = session.Read(key);
            Return(session);
            return found;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private void Return(Session session)
    {
        _idle.Add(session);
        if (_disposed)
        {
            Drain();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    private sealed class Session : IDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbCommand _command;

        public Session(SchedulerDatabase database)
        {
            _connection = database.Open();
            try
            {
                using (var query = _connection.CreateCommand())
                {
                    query.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'";
                    _command = _connection.CreateCommand();
                    _command.CommandText = (string)(query.ExecuteScalar() ?? throw new InvalidOperationException("OrleansQuery has no ReadFromStorageKey."));
                }
                _command.Prepare();
            }
            catch
            {
                _connection.Dispose();
                throw;
            }
        }

        public StoredGrainState? Read(GrainStateKey key)
        {
            _command.Parameters.Clear();
            key.Bind(_command);
            using var reader = _command.ExecuteReader(CommandBehavior.SingleRow);
            return reader.Read()
                ? new StoredGrainState(reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0), reader.GetInt32(1))
                : null;
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }
}
