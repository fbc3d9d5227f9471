using System.Data.Common;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>Queries on reused connections and statements: a failure or a neighbour does not leak into the next query.</summary>
public abstract class ReadModelQueriesTests(ClusterFixture fixture)
{
    private ReadModelQueries Queries => fixture.SiloService<ReadModelQueries>();

    [Fact]
    public void Run_QueryThatFails_LeavesTheNextQueriesWorking()
    {
        Assert.ThrowsAny<DbException>(() => Queries.Run(session => session.Command("SELECT missing FROM no_such_table").ExecuteScalar()));

        Assert.Equal(1, Queries.Run(session => session.Command("SELECT 1").ScalarLong()));
    }

    [Fact]
    public async Task Run_ManyAtOnce_EachGetsItsOwnParameters()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(n => Task.Run(() =>
            Queries.Run(session => session.Command("SELECT @n + 0", [new("@n", (long)n)]).ScalarLong()))));

        Assert.Equal(Enumerable.Range(0, 64).Select(n => (long)n), results);
    }

    [Fact]
    public void Run_QueriesOfManyShapes_AnswerEachAndKeepABoundedCache()
    {
        using var queries = new ReadModelQueries(fixture.SiloService<SchedulerDatabase>());
        var cached = new List<int>();

        for (var n = 0; n < 3 * ReadModelSession.MaxStatements; n++)
        {
            Assert.Equal(n, queries.Run(session =>
            {
                var answer = session.Command($"SELECT {n}").ScalarLong();
                cached.Add(session.CachedStatements);
                return answer;
            }));
        }

        Assert.All(cached, count => Assert.InRange(count, 1, ReadModelSession.MaxStatements));
    }

    [Fact]
    public void Run_ReusedStatement_BindsTheNewValuesAndNeverAnOldOne()
    {
        using var queries = new ReadModelQueries(fixture.SiloService<SchedulerDatabase>());
        const string sql = "SELECT @a + @b";

        var first = queries.Run(session => session.Command(sql).Add("@a", 1L).Add("@b", 2L).ScalarLong());
        var second = queries.Run(session => session.Command(sql).Add("@a", 10L).Add("@b", 20L).ScalarLong());

        Assert.Equal(3, first);
        Assert.Equal(30, second);
        // A parameter left unbound fails the statement rather than reusing the last value.
        var unbound = Record.Exception(() => queries.Run(session => session.Command(sql).Add("@a", 100L).ScalarLong()));
        Assert.True(unbound is InvalidOperationException or DbException, $"Expected a refusal, got {unbound?.ToString() ?? "an answer"}.");
    }

    [Fact]
    public void Run_AfterDispose_IsRefused()
    {
        var queries = new ReadModelQueries(fixture.SiloService<SchedulerDatabase>());
        Assert.Equal(1, queries.Run(session => session.Command("SELECT 1").ScalarLong()));

        queries.Dispose();

        Assert.Throws<ObjectDisposedException>(() => queries.Run(session => session.Command("SELECT 1").ScalarLong()));
    }
}

[Collection(ClusterCollection.Name)]
public sealed class SqliteReadModelQueriesTests(SqliteClusterFixture fixture) : ReadModelQueriesTests(fixture);

[Collection(PostgreSqlClusterCollection.Name)]
public sealed class PostgreSqlReadModelQueriesTests(PostgreSqlClusterFixture fixture) : ReadModelQueriesTests(fixture);
