using System.Collections.Concurrent;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Where queries run. On SQLite, on one of a few long-lived connections (one per concurrent query) whose statements
/// are compiled once and reused: a pooled connection and a fresh compile per query cost a list of 50 about a tenth
/// of its CPU. On PostgreSQL, on a connection from Npgsql's pool, as before. A query must dispose of its readers
/// before it returns (a reader left open would hold its snapshot, and the log behind it, on that connection).
/// </summary>
public sealed class ReadModelQueries(SchedulerDatabase database) : IDisposable
{
    private readonly ConcurrentBag<ReadModelSession> _idle = [];
    private volatile bool _disposed;

    /// <summary>The database the queries run on.</summary>
    public SchedulerDatabase Database => database;

    public T Run<T>(Func<ReadModelSession, T> query)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (database.Provider != StorageProvider.Sqlite)
        {
            using var connection = database.Open();
            var once = new ReadModelSession(connection, database);
            try
            {
                return query(once);
            }
            finally
            {
                once.DisposeCommands();
            }
        }

        var session = Rent();
        T result;
        try
        {
            result = query(session);
        }
        catch
        {
            Close(session);
            throw;
        }
        Return(session);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="query"/> for a grain: on PostgreSQL the connection is opened and the statements run with
    /// the provider's asynchronous I/O, so a grain never blocks its scheduler on the network. On SQLite the
    /// asynchronous methods complete inline (a local file), on the same cached sessions as <see cref="Run{T}"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<ReadModelSession, Task<T>> query)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (database.Provider != StorageProvider.Sqlite)
        {
            await using var connection = await database.OpenAsync();
            var once = new ReadModelSession(connection, database);
            try
            {
                return await query(once);
            }
            finally
            {
                once.DisposeCommands();
            }
        }

        var session = Rent();
        T result;
        try
        {
            result = await query(session);
        }
        catch
        {
            Close(session);
            throw;
        }
        Return(session);
        return result;
    }

    // SQLite: an idle long-lived session, or a new one; handed back after a query that succeeded.
    private ReadModelSession Rent() => _idle.TryTake(out var idle) ? idle : new ReadModelSession(database.Open(), database);

    private void Return(ReadModelSession session)
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
            Close(session);
        }
    }

    private static void Close(ReadModelSession session)
    {
        session.DisposeCommands();
        session.Connection.Dispose();
    }
}
