using Microsoft.Data.Sqlite;
using Scheduler.Grains.Interviewers;
using Scheduler.Grains.Persistence;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Interviewers;

/// <summary>
/// The totals SQLite keeps per status (for lists without a skill or text filter) agree with a count of the rows,
/// through creates, status changes, deletes and replays, and are recounted at start. Each test has a file of its own:
/// the totals are global.
/// </summary>
public sealed class InterviewerTotalsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-totals-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteDatabase _database;
    private readonly ReadModelQueries _queries;

    public InterviewerTotalsTests()
    {
        _database = new SqliteDatabase($"Data Source={Path.Combine(_directory, "scheduler.db")}");
        _database.EnsureSchema();
        _queries = new ReadModelQueries(_database);
    }

    public void Dispose()
    {
        _queries.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void List_AfterCreatesStatusChangesDeletesAndReplays_TotalsMatchACountOfTheRows()
    {
        var a = Interviewer("a", InterviewerStatus.Active);
        var b = Interviewer("b", InterviewerStatus.Active);
        var c = Interviewer("c", InterviewerStatus.Inactive);
        var d = Interviewer("d", InterviewerStatus.Active);
        Project(
            InterviewerReadModel.Projection(a, deleted: false, storageVersion: 1),
            InterviewerReadModel.Projection(b, deleted: false, storageVersion: 1),
            InterviewerReadModel.Projection(c, deleted: false, storageVersion: 1),
            InterviewerReadModel.Projection(d, deleted: false, storageVersion: 1));
        Project(
            InterviewerReadModel.Projection(b with { Status = InterviewerStatus.Inactive, Version = 2 }, deleted: false, storageVersion: 2),
            InterviewerReadModel.Projection(a with { Version = 2 }, deleted: true, storageVersion: 2),
            InterviewerReadModel.Projection(d, deleted: false, storageVersion: 1),
            InterviewerReadModel.Projection(c with { Name = "c renamed", Version = 2 }, deleted: false, storageVersion: 2));

        Assert.Equal((3, 1, 2), Totals(text: null));
        Assert.Equal((3, 1, 2), Totals(text: "@example.com"));
    }

    [Fact]
    public void EnsureSchema_TotalsOutOfStep_AreRecountedFromTheRows()
    {
        Project(
            InterviewerReadModel.Projection(Interviewer("a", InterviewerStatus.Active), deleted: false, storageVersion: 1),
            InterviewerReadModel.Projection(Interviewer("b", InterviewerStatus.Inactive), deleted: false, storageVersion: 1));
        using (var connection = _database.Open())
        using (var tamper = connection.CreateCommand())
        {
            tamper.CommandText = "UPDATE interviewer_totals SET n = 99";
            tamper.ExecuteNonQuery();
        }

        _database.EnsureSchema();

        Assert.Equal((2, 1, 1), Totals(text: null));
    }

    private (long All, long Active, long Inactive) Totals(string? text) =>
        (List(null, text), List(InterviewerStatus.Active, text), List(InterviewerStatus.Inactive, text));

    private long List(InterviewerStatus? status, string? text) =>
        InterviewerReadModel.List(_queries, new InterviewerQuery(status, [], text, InterviewerSort.Name, false, 50, 0)).Total;

    /// <summary>Applies <paramref name="changes"/> in one transaction, as the database writer does.</summary>
    private void Project(params IReadModelChange[] changes)
    {
        using var connection = _database.Open();
        var session = new ReadModelSession(connection, _database);
        using var transaction = connection.BeginTransaction();
        session.Transaction = transaction;
        foreach (var change in changes)
        {
            change.Apply(session);
        }
        transaction.Commit();
        session.DisposeCommands();
    }

    private static Interviewer Interviewer(string name, InterviewerStatus status) =>
        new(TestData.NewId(), name, $"{name}.{Guid.NewGuid():N}@example.com", ["csharp"], status, "UTC",
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
}
