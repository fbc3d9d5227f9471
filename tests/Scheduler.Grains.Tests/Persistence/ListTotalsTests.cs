using Scheduler.Events;
using Scheduler.Grains.Events;
using Scheduler.Grains.Interviewers;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>
/// The totals each database keeps per status (for interviewer lists without a skill or text filter, event lists
/// without any filter but status) agree with a count of the rows, through creates, status changes, deletes and
/// replays, and are recounted at start. Each test has a database of its own: the totals are global.
/// </summary>
public abstract class ListTotalsTests(OwnDatabase own) : ReadModelDatabaseTests(own)
{
    /// <summary>Sets every interviewer total to 99 and counts 7 scheduled events that do not exist.</summary>
    protected abstract string TamperSql { get; }

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
        using (var connection = Database.Open())
        using (var tamper = connection.CreateCommand())
        {
            tamper.CommandText = TamperSql;
            tamper.ExecuteNonQuery();
        }

        Database.EnsureSchema();

        Assert.Equal((2, 1, 1), Totals(text: null));
        Assert.Equal((0, 0, 0), EventTotals(interviewerId: null));
    }

    protected (long All, long Scheduled, long Cancelled) EventTotals(string? interviewerId) =>
        (Events(null, interviewerId), Events(EventStatus.Scheduled, interviewerId), Events(EventStatus.Cancelled, interviewerId));

    private long Events(EventStatus? status, string? interviewerId) =>
        EventReadModel.List(Queries, new EventQuery(interviewerId, null, null, status, null, EventSort.StartsAt, false, 50, 0)).GetAwaiter().GetResult().Total;

    protected (long All, long Active, long Inactive) Totals(string? text) =>
        (List(null, text), List(InterviewerStatus.Active, text), List(InterviewerStatus.Inactive, text));

    private long List(InterviewerStatus? status, string? text) =>
        InterviewerReadModel.List(Queries, new InterviewerQuery(status, [], text, InterviewerSort.Name, false, 50, 0)).GetAwaiter().GetResult().Total;

    protected static InterviewEvent Event(string interviewerId, EventStatus status)
    {
        var start = DateTimeOffset.UtcNow.AddDays(3);
        return new InterviewEvent(TestData.NewId(), interviewerId, "Interview", "Candidate", "candidate@example.com",
            new Slot(start, start.AddHours(1)), "UTC", null, null, null, status, null, "tester", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
    }

    protected static Interviewer Interviewer(string name, InterviewerStatus status) =>
        new(TestData.NewId(), name, $"{name}.{Guid.NewGuid():N}@example.com", ["csharp"], status, "UTC",
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
}

public sealed class SqliteListTotalsTests() : ListTotalsTests(OwnDatabase.Sqlite())
{
    protected override string TamperSql => "UPDATE interviewer_totals SET n = 99; INSERT INTO event_totals (status, n) VALUES ('scheduled', 7);";
}

/// <summary>PostgreSQL keeps a shard of the totals per server process; a total is their sum.</summary>
public sealed class PostgreSqlListTotalsTests() : ListTotalsTests(OwnDatabase.PostgreSql())
{
    protected override string TamperSql => "UPDATE interviewer_totals SET n = 99; INSERT INTO event_totals (status, shard, n) VALUES ('scheduled', 5, 7);";

    [Fact]
    public async Task Interviewers_ChangedOnManyConnectionsAtOnce_ShardsSumToACountOfTheRows()
    {
        // Eight writers at once, each on a connection (a server process) of its own, so into shards of their own;
        // every second interviewer is then made inactive from another writer, every fifth deleted.
        var interviewers = Enumerable.Range(0, 80).Select(n => Interviewer($"i{n}", InterviewerStatus.Active)).ToArray();
        await Task.WhenAll(interviewers.Chunk(10).Select(chunk => Task.Run(() =>
            Project([.. chunk.Select(i => InterviewerReadModel.Projection(i, deleted: false, storageVersion: 1))]))));
        await Task.WhenAll(interviewers.Select((interviewer, n) => (interviewer, n)).Chunk(10).Reverse().Select(chunk => Task.Run(() =>
            Project([.. chunk.Select(x => InterviewerReadModel.Projection(
                x.interviewer with { Status = x.n % 2 == 0 ? InterviewerStatus.Inactive : InterviewerStatus.Active, Version = 2 },
                deleted: x.n % 5 == 0, storageVersion: 2))]))));

        // 80 - 16 deleted = 64 live; 8 of the deleted are even, 8 odd: 32 active (odd), 32 inactive (even).
        Assert.Equal((64, 32, 32), Totals(text: null));
        Assert.Equal((64, 32, 32), Totals(text: "@example.com"));
    }
}
