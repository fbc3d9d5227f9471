using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Persistence;

/// <summary>One grain-state row to write with the storage's optimistic upsert (its parameters, as the provider binds them).</summary>
internal sealed record GrainStateRow(
    int GrainIdHash,
    long GrainIdN0,
    long GrainIdN1,
    int GrainTypeHash,
    string GrainTypeString,
    string? GrainIdExtensionString,
    string ServiceId,
    int? GrainStateVersion,
    byte[] PayloadBinary);

/// <summary>
/// Group commit for grain state on SQLite. Grains hand their serialized state to <see cref="Write"/> and await it;
/// one dedicated thread runs every write queued at that moment through the storage's own <c>WriteToStorageKey</c>
/// statement (prepared once) in one transaction, and completes each caller only after that transaction committed
/// with the configured <c>synchronous</c> setting. Fifty concurrent writers pay for one commit and one sync instead
/// of fifty, and no Orleans scheduler thread ever blocks in SQLite.
/// </summary>
internal sealed partial class GrainStateWriter(SqliteDatabase database, ILogger<GrainStateWriter> logger)
    : BatchWriter<GrainStateWriter.Pending>("grain-state-writer", MaxBatch)
{
    private const int MaxBatch = 256;

    private SqliteConnection? _connection;
    private SqliteCommand? _upsert;

    /// <summary>The row's new version once durable; null when the version check failed (another writer won).</summary>
    internal Task<int?> Write(GrainStateRow row)
    {
        var pending = new Pending(row, new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously),
            Activity.Current?.Context ?? default);
        return Enqueue(pending)
            ? pending.Done.Task
            : Task.FromException<int?>(new ObjectDisposedException(nameof(GrainStateWriter)));
    }

    protected override void Commit(List<Pending> batch)
    {
        var spans = batch.Select(p => SchedulerTelemetry.StartSql("upsert", "OrleansStorage", p.Parent)).ToArray();
        var versions = new int?[batch.Count];
        try
        {
            Apply(batch, 0, batch.Count, versions);
            for (var n = 0; n < batch.Count; n++)
            {
                batch[n].Done.TrySetResult(versions[n]);
            }
        }
        catch (Exception batchError) when (batch.Count > 1)
        {
            // Nothing of the batch is durable. Isolate the culprit: one bad write must not fail its neighbours.
            Close();
            LogBatchFailed(batchError, batch.Count);
            for (var n = 0; n < batch.Count; n++)
            {
                CommitOne(batch, n, versions, spans[n]);
            }
        }
        catch (Exception error)
        {
            Close();
            Fail(batch[0], spans[0], error);
        }
        finally
        {
            foreach (var span in spans)
            {
                span?.SetTag("scheduler.batch.size", batch.Count);
                span?.Dispose();
            }
        }
    }

    private void CommitOne(List<Pending> batch, int index, int?[] versions, Activity? span)
    {
        try
        {
            Apply(batch, index, 1, versions);
            batch[index].Done.TrySetResult(versions[index]);
        }
        catch (Exception error)
        {
            Close();
            Fail(batch[index], span, error);
        }
    }

    private void Fail(Pending pending, Activity? span, Exception error)
    {
        LogWriteFailed(error, pending.Row.GrainTypeString);
        span?.SetStatus(ActivityStatusCode.Error, error.Message);
        pending.Done.TrySetException(error);
    }

    private void Apply(List<Pending> batch, int start, int count, int?[] versions)
    {
        var upsert = _upsert ?? Open();
        var gate = database.WriteGate;
        gate.Wait();
        try
        {
            using var transaction = _connection!.BeginTransaction();
            upsert.Transaction = transaction;
            for (var n = start; n < start + count; n++)
            {
                var row = batch[n].Row;
                var p = upsert.Parameters;
                p[0].Value = row.GrainIdHash;
                p[1].Value = row.GrainIdN0;
                p[2].Value = row.GrainIdN1;
                p[3].Value = row.GrainTypeHash;
                p[4].Value = row.GrainTypeString;
                p[5].Value = (object?)row.GrainIdExtensionString ?? DBNull.Value;
                p[6].Value = row.ServiceId;
                p[7].Value = (object?)row.GrainStateVersion ?? DBNull.Value;
                p[8].Value = row.PayloadBinary;
                var version = upsert.ExecuteScalar();
                versions[n] = version is null or DBNull ? null : Convert.ToInt32(version, System.Globalization.CultureInfo.InvariantCulture);
            }
            transaction.Commit();
        }
        finally
        {
            upsert.Transaction = null;
            gate.Release();
        }
    }

    /// <summary>
    /// The writer's connection (with the durability's <c>synchronous</c> setting) and the storage's write statement,
    /// read from <c>OrleansQuery</c> so that the provider and this writer share one definition.
    /// </summary>
    private SqliteCommand Open()
    {
        _connection = (SqliteConnection)database.Open();
        using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA synchronous = {(database.Durability == SqliteDurability.Normal ? "NORMAL" : "FULL")};";
            pragma.ExecuteNonQuery();
        }
        string query;
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'";
            query = (string)(read.ExecuteScalar() ?? throw new InvalidOperationException("OrleansQuery has no WriteToStorageKey."));
        }
        var upsert = _connection.CreateCommand();
        upsert.CommandText = Pragmas().Replace(query, "").Trim();
        foreach (var name in (string[])["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString",
                     "GrainIdExtensionString", "ServiceId", "GrainStateVersion", "PayloadBinary"])
        {
            upsert.Parameters.Add(new SqliteParameter("@" + name, null));
        }
        return _upsert = upsert;
    }

    protected override void Close()
    {
        _upsert?.Dispose();
        _upsert = null;
        _connection?.Dispose();
        _connection = null;
    }

    // The stored query sets the connection's sync mode for the provider's pooled connections; this writer's own
    // connection has it set once.
    [GeneratedRegex(@"PRAGMA\s+synchronous\s*=\s*\w+\s*;", RegexOptions.IgnoreCase)]
    private static partial Regex Pragmas();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} grain-state writes failed; retrying them one by one")]
    private partial void LogBatchFailed(Exception error, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain-state write ({StateName}) failed")]
    private partial void LogWriteFailed(Exception error, string stateName);

    public sealed record Pending(GrainStateRow Row, TaskCompletionSource<int?> Done, ActivityContext Parent);
}
