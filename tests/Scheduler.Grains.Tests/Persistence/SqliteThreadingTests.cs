using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>SQLite runs without its per-connection lock, and connections used by many threads in turn stay correct.</summary>
public sealed class SqliteThreadingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-threading-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Open_SchedulerDatabase_ConnectionTakesNoLockPerCall()
    {
        var database = new SqliteDatabase($"Data Source={Path.Combine(_directory, "scheduler.db")}");

        using var connection = (SqliteConnection)database.Open();

        Assert.True(SqliteThreading.MultiThread);
        Assert.Equal(IntPtr.Zero, ConnectionMutex(connection.Handle!.DangerousGetHandle()));
    }

    [Fact]
    public async Task Run_ManyThreadsReadingWhileTheWriterCommits_EveryReadSeesAWholeCommit()
    {
        var database = new SqliteDatabase($"Data Source={Path.Combine(_directory, "scheduler.db")}");
        database.EnsureSchema();
        using var queries = new ReadModelQueries(database);
        queries.Run(session => session.Command("CREATE TABLE pairs (n INTEGER PRIMARY KEY, twice INTEGER NOT NULL)").ExecuteNonQuery());

        // The writer starts once every reader has read, and stops halfway until a reader has seen a part of its commits,
        // so reads and commits overlap however the threads are scheduled. Dedicated threads: the readers spin.
        const int Readers = 8;
        using var readersStarted = new CountdownEvent(Readers);
        using var midwaySeen = new ManualResetEventSlim();
        var wait = TimeSpan.FromSeconds(30);
        Task? writer = null;
        var readers = Enumerable.Range(0, Readers).Select(_ => Task.Factory.StartNew(() =>
        {
            var torn = 0L;
            var first = true;
            do
            {
                // A row whose second half is missing would be a commit seen in part.
                torn += queries.Run(session => session.Command("SELECT count(*) FROM pairs WHERE twice <> 2 * n").ScalarLong());
                var rows = queries.Run(session =>
                {
                    var seen = new List<(long N, long Twice)>();
                    using var reader = session.Command("SELECT n, twice FROM pairs ORDER BY n").ExecuteReader();
                    while (reader.Read())
                    {
                        seen.Add((reader.GetInt64(0), reader.GetInt64(1)));
                    }
                    return seen;
                });
                torn += rows.Count(row => row.Twice != 2 * row.N);
                Assert.Equal(Enumerable.Range(1, rows.Count).Select(n => (long)n), rows.Select(row => row.N));
                if (rows.Count is > 0 and < 300)
                {
                    midwaySeen.Set();
                }
                if (first)
                {
                    first = false;
                    readersStarted.Signal();
                }
            }
            while (Volatile.Read(ref writer) is not { IsCompleted: true });
            return torn;
        }, TaskCreationOptions.LongRunning)).ToArray();
        Volatile.Write(ref writer, Task.Factory.StartNew(() =>
        {
            Assert.True(readersStarted.Wait(wait), "the readers did not start");
            using var connection = database.Open();
            for (var n = 1; n <= 300; n++)
            {
                using var transaction = connection.BeginTransaction();
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO pairs (n, twice) VALUES (@n, 0); UPDATE pairs SET twice = 2 * n WHERE n = @n";
                insert.Add("@n", n);
                insert.ExecuteNonQuery();
                transaction.Commit();
                if (n == 150)
                {
                    Assert.True(midwaySeen.Wait(wait), "no reader saw the commits in progress");
                }
            }
        }, TaskCreationOptions.LongRunning));

        await writer!;
        Assert.All(await Task.WhenAll(readers), torn => Assert.Equal(0, torn));
        Assert.Equal(300, queries.Run(session => session.Command("SELECT count(*) FROM pairs").ScalarLong()));
    }

    // The lock SQLite takes around each call on this connection: none in multi-thread mode. (SQLitePCLRaw does not
    // bind this function; the library it loads does export it.)
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_db_mutex")]
    private static extern IntPtr ConnectionMutex(IntPtr connection);
}
