using System.Data.Common;
using System.Globalization;
using Npgsql;
using Scheduler.Common;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>
/// The <see cref="DatabaseWriter"/>'s group commit on a database of the test's own: a batch whose items all stand is
/// applied whole; one item of a batch that fails leaves every other item of that batch committed (the batch goes again,
/// item by item in savepoints).
/// </summary>
public abstract class DatabaseWriterTests : IAsyncLifetime
{
    private SchedulerDatabase _database = null!;

    protected SchedulerDatabase Database => _database;

    protected abstract Task<SchedulerDatabase> CreateDatabase();

    protected abstract Task DeleteDatabase();

    /// <summary>Keeps the writer from committing (it blocks inside its batch) until the result is disposed.</summary>
    protected abstract Task<IAsyncDisposable> HoldCommits(SchedulerDatabase database);

    public async Task InitializeAsync()
    {
        _database = await CreateDatabase();
        _database.EnsureSchema();
    }

    public Task DisposeAsync() => DeleteDatabase();

    [Fact]
    public async Task Batch_OneItemClaimsAnEmailAnEarlierItemOfItClaimed_OnlyThatItemFailsAndEveryOtherCommits()
    {
        // Item 0 goes alone; items 1..5 share the next batch, and item 3 claims item 1's email for another owner.
        const int violator = 3;
        var items = Enumerable.Range(0, 6).Select(n => new WriterTestItem(Guid.NewGuid(), "owner-" + Guid.NewGuid().ToString("N"),
            n == violator ? "" : $"batch{n}.{Guid.NewGuid():N}@example.com")).ToArray();
        items[violator] = items[violator] with { Email = items[1].Email.ToUpperInvariant() };
        using var spans = new BatchSpans();
        var log = new WriterLog();
        var writes = await WriteInTwoBatches(spans, log, items);

        var refused = await Assert.ThrowsAsync<UniqueClaimException>(() => writes[violator]);
        Assert.Equal(EmailIndex.Normalize(items[1].Email), refused.Value);
        var others = Enumerable.Range(0, items.Length).Where(n => n != violator).ToArray();
        Assert.All(others, n => Assert.Equal(1, writes[n].Result));
        var batchSizes = await spans.BatchSizes(items).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 5, 5, 5, 5, 5], batchSizes);
        // Isolated by its savepoint, inside the batch's transaction: no batch failed and was retried item by item. (The
        // batch was first applied whole, on a server sent in one round trip, and went item by item when the claim was
        // refused.)
        Assert.Empty(log.Entries);
        Assert.False(spans.Whole(items[1]));

        AssertStoredAllBut(items, violator);
    }

    [Fact]
    public async Task Batch_OneItemWritesAStaleStateVersion_NothingOfThatItemIsStoredAndEveryOtherCommits()
    {
        // Item 0 goes alone; items 1..3 share the next batch, and item 2 writes version 7 of a state never written. On a
        // server, an item's rows travel in its state write's round trip, bound to the version the write would give.
        const int stale = 2;
        var items = Enumerable.Range(0, 4).Select(n => new WriterTestItem(Guid.NewGuid(), "owner-" + Guid.NewGuid().ToString("N"),
            $"stale{n}.{Guid.NewGuid():N}@example.com", n == stale ? 7 : null)).ToArray();
        using var spans = new BatchSpans();
        var log = new WriterLog();
        var writes = await WriteInTwoBatches(spans, log, items);

        // No version: the write lost (Orleans' storage turns that into an InconsistentStateException).
        Assert.Equal([1, 1, null, 1], writes.Select(write => write.Result));
        var batchSizes = await spans.BatchSizes(items).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 3, 3, 3], batchSizes);
        Assert.Empty(log.Entries);
        // SQLite learns the stale write's outcome from its own statement, which writes nothing: the batch stands whole. A
        // server checks it inside the round trip, refuses the round trip, and the batch goes item by item.
        Assert.Equal(!Database.BatchesStatements, spans.Whole(items[1]));
        AssertStoredAllBut(items, stale);
    }

    [Theory]
    [InlineData(null)] // grain changes alone
    [InlineData(3)]    // item 3 a worker's rows (the outbox dispatcher's kind: read-model changes alone, no grain state)
    public async Task Batch_EveryItemStands_GoesInOneRoundTripOnAServerAndCommitsEveryItem(int? rows)
    {
        var items = Enumerable.Range(0, 6).Select(n => new WriterTestItem(Guid.NewGuid(), "owner-" + Guid.NewGuid().ToString("N"),
            $"clean{n}.{Guid.NewGuid():N}@example.com", RowsOnly: n == rows)).ToArray();
        using var spans = new BatchSpans();
        var log = new WriterLog();
        var writes = await WriteInTwoBatches(spans, log, items);

        Assert.All(writes, write => Assert.Equal(1, write.Result));
        var batchSizes = await spans.BatchSizes(items).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 5, 5, 5, 5, 5], batchSizes);
        // Applied whole, without savepoints: on a server in one round trip with its commit.
        Assert.True(spans.Whole(items[rows ?? 1]));
        Assert.Empty(log.Entries);
        using var connection = _database.Open();
        Assert.All(items, item =>
        {
            Assert.Equal(item.RowsOnly ? [] : [1L], StateVersions(connection, item.Key));
            Assert.Equal([EmailIndex.Normalize(item.Email)], Claims(connection, item.Owner));
        });
    }

    /// <summary>
    /// Writes <paramref name="items"/> through a writer of one lane (PostgreSQL's several lanes would share the items out):
    /// item 0 as a batch of its own, every other item in the next batch. Returns once every write has completed.
    /// </summary>
    private async Task<Task<int?>[]> WriteInTwoBatches(BatchSpans spans, WriterLog log, WriterTestItem[] items)
    {
        var writer = new DatabaseWriter(_database, log, lanes: 1);
        try
        {
            Task<int?>[] writes;
            await using (await HoldCommits(_database))
            {
                // The writer takes item 0 as a batch of one (its span starts as the batch is taken) and blocks on the
                // hold; the other items, queued meanwhile, are all there when it takes its next batch.
                var first = spans.Write(writer, items[0]);
                await spans.Started.WaitAsync(TimeSpan.FromSeconds(10));
                writes = [first, .. items.Skip(1).Select(item => spans.Write(writer, item))];
            }
            await Task.WhenAll(writes.Select(write => write.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromSeconds(30));
            return writes;
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Every item's state (version 1) and claim is stored but item <paramref name="missing"/>'s, of which nothing is.</summary>
    private void AssertStoredAllBut(WriterTestItem[] items, int missing)
    {
        using var connection = _database.Open();
        Assert.All(Enumerable.Range(0, items.Length).Where(n => n != missing), n =>
        {
            Assert.Equal([1L], StateVersions(connection, items[n].Key));
            Assert.Equal([EmailIndex.Normalize(items[n].Email)], Claims(connection, items[n].Owner));
        });
        Assert.Empty(StateVersions(connection, items[missing].Key));
        Assert.Empty(Claims(connection, items[missing].Owner));
    }

    private static List<long> StateVersions(DbConnection connection, Guid key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT Version FROM OrleansStorage
             WHERE GrainTypeString = 'writer-test' AND GrainIdN0 = @n0 AND GrainIdN1 = @n1 AND PayloadBinary IS NOT NULL
            """;
        command.Add("@n0", BitConverter.ToInt64(key.ToByteArray(), 0));
        command.Add("@n1", BitConverter.ToInt64(key.ToByteArray(), 8));
        using var reader = command.ExecuteReader();
        var versions = new List<long>();
        while (reader.Read())
        {
            versions.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
        }
        return versions;
    }

    private static List<string> Claims(DbConnection connection, string owner)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT email_norm FROM email_claims WHERE kind = 'interviewer' AND owner_id = @owner";
        command.Add("@owner", owner);
        using var reader = command.ExecuteReader();
        var emails = new List<string>();
        while (reader.Read())
        {
            emails.Add(reader.GetString(0));
        }
        return emails;
    }
}

public sealed class SqliteDatabaseWriterTests : DatabaseWriterTests
{
    private readonly OwnDatabase _own = OwnDatabase.Sqlite();

    protected override Task<SchedulerDatabase> CreateDatabase() => _own.Create();

    protected override Task DeleteDatabase() => _own.Delete();

    /// <summary>The file's write gate, which the writer takes around every batch.</summary>
    protected override async Task<IAsyncDisposable> HoldCommits(SchedulerDatabase database)
    {
        var gate = database.WriteGate!;
        await gate.WaitAsync();
        return new Release(() =>
        {
            gate.Release();
            return ValueTask.CompletedTask;
        });
    }
}

public sealed class PostgreSqlDatabaseWriterTests : DatabaseWriterTests
{
    private readonly OwnDatabase _own = OwnDatabase.PostgreSql();

    protected override Task<SchedulerDatabase> CreateDatabase() => _own.Create();

    protected override Task DeleteDatabase() => _own.Delete();

    [Fact]
    public async Task Batch_ServerEndsTheConnectionWithTheBatchSent_ItsChangesAreRefusedAndTheNextBatchCommits()
    {
        // The batch goes in one round trip that commits it. The server closing the connection is an answer: it rolled
        // the transaction back, so the callers hear that nothing is stored (and nothing is tried again on it).
        var items = NewItems("ended");
        using var spans = new BatchSpans();
        var writer = new DatabaseWriter(Database, new WriterLog(), lanes: 1);
        try
        {
            await using (await HoldCommits(Database))
            {
                var ended = spans.Write(writer, items[0]);
                await using var admin = new NpgsqlConnection(Database.ConnectionString);
                await admin.OpenAsync();
                await using var terminate = new NpgsqlCommand("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                    """, admin);
                // The batch has reached the server once its statement waits for the held lock.
                while (await terminate.ExecuteScalarAsync() is not true)
                {
                    await Task.Delay(10);
                }
                await Assert.ThrowsAsync<StorageUnavailableException>(() => ended).WaitAsync(TimeSpan.FromSeconds(30));
            }
            Assert.Equal(1, await spans.Write(writer, items[1]).WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Fact]
    public async Task Batch_NoAnswerInTimeWithTheBatchAndItsCommitSent_ItsChangesAreInDoubtAndTheNextBatchCommits()
    {
        // Without the server's answer the commit may or may not have happened: the callers must hear exactly that
        // (never a failure, and never a second attempt that could store the change twice).
        var items = NewItems("doubt");
        using var spans = new BatchSpans();
        using var impatient = (PostgreSqlDatabase)SchedulerDatabase.Create(StorageProvider.PostgreSql, Database.ConnectionString + ";Command Timeout=1");
        var writer = new DatabaseWriter(impatient, new WriterLog(), lanes: 1);
        try
        {
            await using (await HoldCommits(Database))
            {
                await Assert.ThrowsAsync<ChangeInDoubtException>(() => spans.Write(writer, items[0])).WaitAsync(TimeSpan.FromSeconds(30));
            }
            Assert.Equal(1, await spans.Write(writer, items[1]).WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static WriterTestItem[] NewItems(string prefix) => [.. Enumerable.Range(0, 2).Select(n =>
        new WriterTestItem(Guid.NewGuid(), "owner-" + Guid.NewGuid().ToString("N"), $"{prefix}{n}.{Guid.NewGuid():N}@example.com"))];

    /// <summary>
    /// A lock on <c>email_claims</c> that the writer's claim insert waits for (PostgreSQL has no write gate): the
    /// batch taken meanwhile stays open until it is released.
    /// </summary>
    protected override async Task<IAsyncDisposable> HoldCommits(SchedulerDatabase database)
    {
        var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE email_claims IN SHARE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }
        return new Release(async () =>
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        });
    }
}

internal sealed class Release(Func<ValueTask> release) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => release();
}
