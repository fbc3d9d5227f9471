using System.Data;
using System.Data.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// A connection with its statements cached: what a change sees while the writer applies it (with the writer's
/// transaction), and what a query runs on (<see cref="ReadModelQueries"/>).
/// </summary>
public sealed class ReadModelSession
{
    internal const int MaxStatements = 64;

    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    // The statements Execute deferred, sent together by Flush, each with what its failure means; null when
    // statements run as they come.
    private DbBatch? _deferred;
    private readonly List<Func<Exception, Exception?>?> _failures = [];

    // Who wants the values of the deferred statements read for their results (ExecuteForValue), in order.
    private readonly List<Action<object?>> _valuesOf = [];

    internal ReadModelSession(DbConnection connection, SchedulerDatabase database)
    {
        Connection = connection;
        Database = database;
    }

    public DbConnection Connection { get; }

    /// <summary>The database, for the SQL that differs between providers.</summary>
    public SchedulerDatabase Database { get; }

    internal DbTransaction? Transaction { get; set; }

    /// <summary>Statements of the grain-state writes, read from the database once per connection.</summary>
    internal Dictionary<string, string> StateStatements { get; } = new(StringComparer.Ordinal);

    /// <summary>Set while a batch goes in one round trip with its commit (<see cref="PipelinedBatch"/>): every check must fail on the server.</summary>
    internal bool CommitsWithFlush { get; set; }

    /// <summary>
    /// A prepared statement for <paramref name="sql"/>, reused across batches, parameters cleared. Queries built
    /// from filters come in many shapes: past <see cref="MaxStatements"/> the cache starts over rather than grow.
    /// </summary>
    public DbCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            if (_commands.Count >= MaxStatements)
            {
                DisposeCached();
            }
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// Runs a query. On a server it is prepared first: Npgsql keeps a statement prepared on its physical connection
    /// across pool rentals, so each query shape (a bounded set: filters and sort keys, never values) is planned once
    /// per connection instead of on every call, which cost a filtered list ~0.25 ms per statement.
    /// </summary>
    /// <param name="prepare">False: planned for the values bound, on every call (a query whose best plan depends on them).</param>
    public async Task<DbDataReader> QueryAsync(DbCommand command, CommandBehavior behavior = CommandBehavior.Default, bool prepare = true)
    {
        if (prepare && Database.PreparesStatements)
        {
            await command.PrepareAsync();
        }
        return await command.ExecuteReaderAsync(behavior);
    }

    /// <summary>Runs a count, prepared like <see cref="QueryAsync"/>.</summary>
    public async Task<long> CountAsync(DbCommand command)
    {
        if (Database.PreparesStatements)
        {
            await command.PrepareAsync();
        }
        return await command.ScalarLongAsync();
    }

    /// <summary>The prepared statement for <paramref name="sql"/> with <paramref name="parameters"/> bound.</summary>
    public DbCommand Command(string sql, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }
        return command;
    }

    /// <summary>
    /// From now on <see cref="Execute"/> defers its statements to <see cref="Flush"/>, which sends them in one round
    /// trip: the writer's session on a server across a network, where a change's five to ten statements each waited
    /// for their own answer, and each wait for a turn on the CPU under load.
    /// </summary>
    internal void DeferStatements() => _deferred ??= Connection.CreateBatch();

    /// <summary>
    /// Runs <paramref name="command"/> (bound, its result not needed), or defers it to <see cref="Flush"/>.
    /// <paramref name="failure"/> turns an error of this statement into what the caller should see (null: as it is).
    /// </summary>
    public void Execute(DbCommand command, Func<Exception, Exception?>? failure = null)
    {
        if (_deferred is null)
        {
            try
            {
                command.ExecuteNonQuery();
            }
            catch (Exception error) when (failure?.Invoke(error) is { } meant)
            {
                throw meant;
            }
            return;
        }
        // The cached command is rebound by its next use: the batch keeps copies of its text and parameters.
        _deferred.AddCopyOf(command);
        _failures.Add(failure);
    }

    /// <summary>Whether <see cref="Execute"/> defers its statements to <see cref="Flush"/>.</summary>
    internal bool Defers => _deferred is not null;

    /// <summary>
    /// Runs <paramref name="command"/> (bound) for its first value, after the deferred statements and in the same round
    /// trip as them; prepared on a server.
    /// </summary>
    public object? Scalar(DbCommand command)
    {
        if (_deferred is null)
        {
            return command.ExecuteScalar();
        }
        object? value = null;
        ExecuteForValue(command, result => value = result);
        Flush();
        return value;
    }

    /// <summary>
    /// Defers <paramref name="command"/> like <see cref="Execute"/>, and hands its first value (null: no row) to
    /// <paramref name="value"/> when <see cref="Flush"/> has sent it. Only such statements may return columns.
    /// </summary>
    internal void ExecuteForValue(DbCommand command, Action<object?> value)
    {
        if (_deferred is null)
        {
            throw new InvalidOperationException("A statement's value is read from a deferred round trip.");
        }
        Execute(command);
        _valuesOf.Add(value);
    }

    /// <summary>Sends the deferred statements, in order, in one round trip; the first that fails stops the rest.</summary>
    public void Flush()
    {
        if (_deferred is not { BatchCommands.Count: > 0 } batch)
        {
            return;
        }
        RoundTrips++;
        try
        {
            batch.Connection = Connection;
            batch.Transaction = Transaction;
            if (Database.PreparesStatements)
            {
                // Npgsql keeps a prepared statement on its physical connection: only a connection's first batch with a
                // given statement sends it to be parsed and planned.
                batch.Prepare();
            }
            if (_valuesOf.Count == 0)
            {
                batch.ExecuteNonQuery();
                return;
            }
            // Only the statements read for their values return columns: the n-th result with columns is the n-th wanted.
            var values = new List<object?>(_valuesOf.Count);
            using (var reader = batch.ExecuteReader())
            {
                do
                {
                    if (reader.FieldCount > 0)
                    {
                        values.Add(reader.Read() ? reader.GetValue(0) : null);
                    }
                }
                while (reader.NextResult());
            }
            if (values.Count != _valuesOf.Count)
            {
                throw new InvalidOperationException($"A round trip returned {values.Count} results with columns for {_valuesOf.Count} statements read for their values.");
            }
            for (var n = 0; n < values.Count; n++)
            {
                _valuesOf[n](values[n]);
            }
        }
        catch (DbException error) when (Meaning(error) is { } meant)
        {
            throw meant;
        }
        finally
        {
            batch.BatchCommands.Clear();
            _failures.Clear();
            _valuesOf.Clear();
        }
    }

    // Which statement failed is not told (Npgsql leaves the exception's BatchCommand empty unless the connection
    // string asks for statements, parameters included, in its exceptions): the first statement that gives the error a
    // meaning gives it. A change has one statement that can break a uniqueness claim.
    private Exception? Meaning(Exception error)
    {
        foreach (var failure in _failures)
        {
            if (failure?.Invoke(error) is { } meant)
            {
                return meant;
            }
        }
        return null;
    }

    /// <summary>Drops the statements deferred and not yet sent (their change failed before it was flushed).</summary>
    internal void DiscardDeferred()
    {
        _deferred?.BatchCommands.Clear();
        _failures.Clear();
        _valuesOf.Clear();
    }

    /// <summary>How many times <see cref="Flush"/> has sent deferred statements (whether they succeeded or not).</summary>
    internal long RoundTrips { get; private set; }

    /// <summary>How many statements this connection keeps compiled.</summary>
    internal int CachedStatements => _commands.Count;

    internal void DisposeCommands()
    {
        _deferred?.Dispose();
        _deferred = null;
        _failures.Clear();
        _valuesOf.Clear();
        DisposeCached();
    }

    private void DisposeCached()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
