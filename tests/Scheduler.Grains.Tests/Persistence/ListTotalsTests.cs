using Microsoft.Data.Sqlite;
using Scheduler.Events;
using Scheduler.Grains.Events;
using Scheduler.Grains.Interviewers;
using Scheduler.Grains.Persistence;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>
/// The totals SQLite keeps per status (for interviewer lists without a skill or text filter, event lists without
/// any filter but status) agree with a count of the rows, through creates, status changes, deletes and replays,
/// and are recounted at start. Each test has a file of its own: the totals are global.
/// </summary>
public sealed class ListTotalsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-totals-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteDatabase _database;
    private readonly ReadModelQueries _queries;

    public ListTotalsTests()
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
    public void Interviewers_AfterCreatesStatusChangesDeletesAndReplays_TotalsMatchACountOfTheRows()
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
    public void Events_AfterBookingsCancellationsDeletesAndReplays_TotalsMatchACountOfTheRows()
    {
        var interviewer = TestData.NewId();
        var a = Event(interviewer, EventStatus.Scheduled);
        var b = Event(interviewer, EventStatus.Scheduled);
        var c = Event(interviewer, EventStatus.Scheduled);
        Project(
            EventReadModel.Projection(a, deleted: false, storageVersion: 1),
            EventReadModel.Projection(b, deleted: false, storageVersion: 1),
            EventReadModel.Projection(c, deleted: false, storageVersion: 1));
        Project(
            EventReadModel.Projection(a with { Status = EventStatus.Cancelled, Version = 2 }, deleted: false, storageVersion: 2),
            EventReadModel.Projection(b with { Version = 2 }, deleted: true, storageVersion: 2),
            EventReadModel.Projection(c, deleted: false, storageVersion: 1),
            EventReadModel.Projection(c with { Title = "Renamed", Version = 2 }, deleted: false, storageVersion: 2));

        Assert.Equal((2, 1, 1), EventTotals(interviewerId: null));
        Assert.Equal((2, 1, 1), EventTotals(interviewerId: interviewer));
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
            tamper.CommandText = "UPDATE interviewer_totals SET n = 99; INSERT INTO event_totals (status, n) VALUES ('scheduled', 7);";
            tamper.ExecuteNonQuery();
        }

        _database.EnsureSchema();

        Assert.Equal((2, 1, 1), Totals(text: null));
        Assert.Equal((0, 0, 0), EventTotals(interviewerId: null));
    }

    private (long All, long Scheduled, long Cancelled) EventTotals(string? interviewerId) =>
        (Events(null, interviewerId), Events(EventStatus.Scheduled, interviewerId), Events(EventStatus.Cancelled, interviewerId));

    private long Events(EventStatus? status, string? interviewerId) =>
        EventReadModel.List(_queries, new EventQuery(interviewerId, null, null, status, null, EventSort.StartsAt, false, 50, 0)).GetAwaiter().GetResult().Total;

    private (long All, long Active, long Inactive) Totals(string? text) =>
        (List(null, text), List(InterviewerStatus.Active, text), List(InterviewerStatus.Inactive, text));

    private long List(InterviewerStatus? status, string? text) =>
        InterviewerReadModel.List(_queries, new InterviewerQuery(status, [], text, InterviewerSort.Name, false, 50, 0)).GetAwaiter().GetResult().Total;

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

    private static InterviewEvent Event(string interviewerId, EventStatus status)
    {
        var start = DateTimeOffset.UtcNow.AddDays(3);
        return new InterviewEvent(TestData.NewId(), interviewerId, "Interview", "Candidate", "candidate@example.com",
            new Slot(start, start.AddHours(1)), "UTC", null, null, null, status, null, "tester", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
    }

    private static Interviewer Interviewer(string name, InterviewerStatus status) =>
        new(TestData.NewId(), name, $"{name}.{Guid.NewGuid():N}@example.com", ["csharp"], status, "UTC",
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
}
