using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Events;
using Scheduler.Grains.Interviewers;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Search;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>
/// The lists' full-text search and cursor paging on each database: word prefixes, case and accents ignored, best
/// match first; an index built for rows written before it existed; the planner answering from the indexes.
/// Each test has a database of its own.
/// </summary>
public abstract class SearchIndexTests(OwnDatabase own) : ReadModelDatabaseTests(own)
{
    /// <summary>Takes the search index away as a database from before it existed has it (rows, no index).</summary>
    protected abstract string DropIndexSql { get; }

    /// <summary>The plan of <paramref name="sql"/>, one line per step.</summary>
    protected abstract string Plan(string sql, Dictionary<string, object?> parameters);

    /// <summary>What a plan says when it reads the search index of <paramref name="table"/>.</summary>
    protected abstract string SearchIndexStep(string table);

    /// <summary>Fills the tables with enough rows (and statistics) for the planner to choose as it would in use.</summary>
    protected virtual void Fill()
    {
    }

    /// <summary>What a plan says when it reads the name index from a key on (a cursor).</summary>
    protected abstract string NameIndexStep { get; }

    [Fact]
    public async Task Search_WordPrefixInAnyCaseOrAccent_FindsTheInterviewer()
    {
        var grace = Interviewer("Grace Hopper", "g.hopper@example.com");
        var emile = Interviewer("Émile Zola", "ez@example.com");
        var deleted = Interviewer("Grace Deleted", "gd@example.com");
        Project(Row(grace), Row(emile), Row(deleted), InterviewerReadModel.Projection(deleted with { Version = 2 }, deleted: true, 2));

        Assert.Equal([grace.Id], await Interviewers("gra"));
        Assert.Equal([grace.Id], await Interviewers("HOPP gRaC"));
        Assert.Equal([grace.Id], await Interviewers("g.hop"));
        Assert.Equal([emile.Id], await Interviewers("emile"));
        Assert.Equal([emile.Id], await Interviewers("ÉMI zol"));
        Assert.Empty(await Interviewers("race"));
        Assert.Empty(await Interviewers("grace zola"));
        Assert.Empty(await Interviewers("@@"));
    }

    [Fact]
    public async Task Search_Interviews_MatchTitleCandidateEmailAndNotes_BestMatchFirst()
    {
        var tag = "t" + TestData.NewId()[..8];
        var inNotes = Event($"Screening {TestData.NewId()[..6]}", "Ana Pérez", "ana@example.com", notes: $"Ask about {tag}ware");
        var inTitle = Event($"{tag}ware deep dive", "Bo Li", "bo@example.com");
        var inEmail = Event("Onsite", "Cy Young", $"cy.{tag}ware@example.com");
        var byName = Event("Onsite", "José Núñez", "jn@example.com");
        Project(EventRow(inNotes), EventRow(inTitle), EventRow(inEmail), EventRow(byName));

        var ranked = await Events(new EventQuery(null, null, null, null, null, EventSort.StartsAt, false, 50, 0, tag, BestMatch: true));
        var byStart = await Events(new EventQuery(null, null, null, null, null, EventSort.StartsAt, false, 50, 0, tag));
        var byCandidate = await Events(new EventQuery(null, null, null, null, null, EventSort.StartsAt, false, 50, 0, "NUNEZ jos"));

        Assert.Equal([inTitle.Id, inEmail.Id, inNotes.Id], ranked);
        Assert.Equal([inNotes.Id, inTitle.Id, inEmail.Id], byStart);
        Assert.Equal([byName.Id], byCandidate);
    }

    [Fact]
    public async Task Search_DeletedInterview_IsNeitherListedNorCounted()
    {
        var tag = "d" + TestData.NewId()[..8];
        var kept = Event($"{tag} kept", "Kay Kept", "kay@example.com");
        var gone = Event($"{tag} gone", "Gil Gone", "gil@example.com");
        Project(EventRow(kept), EventRow(gone));
        Project(EventReadModel.Projection(gone with { Title = $"{tag} gone, renamed", Version = 2 }, deleted: true, 2));

        var ranked = await EventReadModel.List(Queries, new EventQuery(null, null, null, null, null, EventSort.StartsAt, false, 50, 0, tag, BestMatch: true));
        Database.EnsureSchema();
        var afterRestart = await EventReadModel.List(Queries, new EventQuery(null, null, null, null, null, EventSort.StartsAt, false, 50, 0, tag, BestMatch: true));

        Assert.Equal([kept.Id], ranked.Items.Select(e => e.Id));
        Assert.Equal(1, ranked.Total);
        Assert.Equal([kept.Id], afterRestart.Items.Select(e => e.Id));
        Assert.Equal(1, afterRestart.Total);
        Assert.Empty(await Events(new EventQuery(null, null, null, null, null, EventSort.StartsAt, false, 50, 0, "renamed")));
    }

    [Fact]
    public async Task Search_RowsWrittenBeforeTheIndexExisted_AreFoundAfterStart()
    {
        var grace = Interviewer("Grace Hopper", "gh@example.com");
        var booked = Event("Compilers", "Ada Byron", "ada@example.com");
        Project(Row(grace), EventRow(booked));
        Execute(DropIndexSql);

        Database.EnsureSchema();
        Project(Row(grace with { Name = "Grace Brewster Hopper", Version = 2 }, 2));

        Assert.Equal([grace.Id], await Interviewers("brew"));
        Assert.Empty(await Interviewers("nobody"));
        Assert.Equal([booked.Id], await Events(new EventQuery(null, null, null, null, null, EventSort.StartsAt, false, 50, 0, "compil")));
    }

    [Fact]
    public async Task Cursor_RowsInsertedBetweenPages_EveryRowListedOnceInOrder()
    {
        var first = Enumerable.Range(0, 5).Select(n => Interviewer($"m{n}", $"m{n}@example.com")).ToArray();
        Project([.. first.Select(i => Row(i))]);
        var seen = new List<string>();
        PageCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await InterviewerReadModel.List(Queries, new InterviewerQuery(null, [], null, InterviewerSort.Name, false, 2, 0, cursor));
            seen.AddRange(page.Items.Select(i => i.Name));
            cursor = page.Next;
            Assert.Equal(cursor is not null, page.More);
            // Before the cursor (shifting every offset) and after it (to be listed in turn).
            Project(Row(Interviewer($"a{pages}", $"a{pages}@example.com")), Row(Interviewer($"z{pages}", $"z{pages}@example.com")));
            pages++;
        }
        while (cursor is not null);

        // The last page ends at z2: z3 came after it was read.
        Assert.Equal(["m0", "m1", "m2", "m3", "m4", "z0", "z1", "z2"], seen);
    }

    [Fact]
    public async Task Cursor_Descending_ContinuesAfterTheLastRow()
    {
        var rows = Enumerable.Range(0, 3).Select(n => Interviewer($"d{n}", $"d{n}@example.com")).ToArray();
        Project([.. rows.Select(i => Row(i))]);

        var first = await InterviewerReadModel.List(Queries, new InterviewerQuery(null, [], null, InterviewerSort.Email, true, 2, 0));
        var second = await InterviewerReadModel.List(Queries, new InterviewerQuery(null, [], null, InterviewerSort.Email, true, 2, 0, first.Next));

        Assert.Equal(["d2", "d1"], first.Items.Select(i => i.Name));
        Assert.Equal("-email", first.Next?.Order);
        Assert.Equal(["d0"], second.Items.Select(i => i.Name));
        Assert.Null(second.Next);
        Assert.Equal(3, second.Total);
    }

    [Fact]
    public void Plan_TextSearch_ReadsTheSearchIndex()
    {
        Fill();
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var interviewers = TextSearch.For(Database, "interviewers", "i", "gra hop", "10.0, 5.0", parameters)!;
        var events = TextSearch.For(Database, "interview_events", "e", "gra hop", "10.0, 8.0, 4.0, 1.0", parameters)!;

        var interviewerPlan = Plan($"SELECT i.id FROM {interviewers.From} WHERE i.deleted = 0{interviewers.Condition} ORDER BY {interviewers.Rank}, i.id LIMIT 50", parameters);
        var eventPlan = Plan($"SELECT e.id FROM {events.From} WHERE e.deleted = 0{events.Condition} ORDER BY {events.Rank}, e.id LIMIT 50", parameters);

        Assert.True(interviewerPlan.Contains(SearchIndexStep("interviewers"), StringComparison.Ordinal), interviewerPlan);
        Assert.True(eventPlan.Contains(SearchIndexStep("interview_events"), StringComparison.Ordinal), eventPlan);
    }

    [Fact]
    public void Plan_CursorPage_SeeksTheSortIndex()
    {
        Fill();
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@afterKey"] = "m", ["@afterId"] = "x" };
        var name = Database.CaseInsensitive("i.name");

        var plan = Plan($"""
            SELECT i.id FROM interviewers i WHERE i.deleted = 0{Keyset.After(name, Database.CaseInsensitive("@afterKey"), "i.id", descending: false)}
            ORDER BY {name} ASC, i.id ASC LIMIT 51
            """, parameters);

        Assert.True(plan.Contains(NameIndexStep, StringComparison.Ordinal), plan);
    }

    private async Task<string[]> Interviewers(string text) =>
        [.. (await InterviewerReadModel.List(Queries, new InterviewerQuery(null, [], text, InterviewerSort.Name, false, 50, 0, null, true))).Items.Select(i => i.Id)];

    protected async Task<string[]> Events(EventQuery query) => [.. (await EventReadModel.List(Queries, query)).Items.Select(e => e.Id)];

    protected void Execute(string sql)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static IReadModelChange Row(Interviewer interviewer, long storageVersion = 1) =>
        InterviewerReadModel.Projection(interviewer, deleted: false, storageVersion);

    protected static IReadModelChange EventRow(InterviewEvent interviewEvent) => EventReadModel.Projection(interviewEvent, deleted: false, 1);

    private static Interviewer Interviewer(string name, string email) =>
        new(TestData.NewId(), name, email, ["csharp"], InterviewerStatus.Active, "UTC", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);

    private static int _hour;

    protected static InterviewEvent Event(string title, string candidate, string email, string? notes = null)
    {
        var start = new DateTimeOffset(2030, 1, 7, 0, 0, 0, TimeSpan.Zero).AddHours(Interlocked.Increment(ref _hour));
        return new InterviewEvent(TestData.NewId(), TestData.NewId(), title, candidate, email, new Slot(start, start.AddHours(1)), "UTC",
            null, null, notes, EventStatus.Scheduled, null, "tester", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
    }
}

public sealed class SqliteSearchIndexTests() : SearchIndexTests(OwnDatabase.Sqlite())
{
    protected override string DropIndexSql => """
        DROP TABLE interviewers_fts; DROP TABLE interview_events_fts;
        DROP TRIGGER interviewers_fts_insert; DROP TRIGGER interviewers_fts_update; DROP TRIGGER interviewers_fts_delete;
        DROP TRIGGER interview_events_fts_add; DROP TRIGGER interview_events_fts_change; DROP TRIGGER interview_events_fts_remove;
        """;

    protected override string NameIndexStep => "SEARCH i USING COVERING INDEX ix_interviewers_name (name>?)";

    [Fact]
    public async Task Search_FileWhoseIndexHeldDeletedInterviews_IsRebuiltWithoutThemAtStart()
    {
        // The first triggers indexed every row, deleted or not.
        Execute("""
            DROP TRIGGER interview_events_fts_add; DROP TRIGGER interview_events_fts_change; DROP TRIGGER interview_events_fts_remove;
            CREATE TRIGGER interview_events_fts_insert AFTER INSERT ON interview_events BEGIN
                INSERT INTO interview_events_fts (rowid, title, candidate_name, candidate_email, notes)
                VALUES (new.rowid, new.title, new.candidate_name, new.candidate_email, new.notes);
            END;
            """);
        var gone = Event("Archived loop", "Ola Old", "ola@example.com");
        Project(EventReadModel.Projection(gone, deleted: true, 1));

        Database.EnsureSchema();

        Assert.Empty(await Events(new EventQuery(null, null, null, null, null, EventSort.StartsAt, false, 50, 0, "archived", BestMatch: true)));
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM interview_events_fts WHERE interview_events_fts MATCH 'archived'";
        Assert.Equal(0L, command.ExecuteScalar());
    }

    protected override string SearchIndexStep(string table) => $"SCAN {table}_fts VIRTUAL TABLE INDEX";

    protected override string Plan(string sql, Dictionary<string, object?> parameters)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
        {
            steps.Add(reader.GetString(3));
        }
        return string.Join('\n', steps);
    }

}

public sealed class PostgreSqlSearchIndexTests() : SearchIndexTests(OwnDatabase.PostgreSql())
{
    protected override string DropIndexSql => "ALTER TABLE interviewers DROP COLUMN search; ALTER TABLE interview_events DROP COLUMN search;";

    protected override string NameIndexStep => "Index Scan using ix_interviewers_name";

    // Thousands of each, with varied words: with a handful (or all alike), the planner reads the table rather than any index.
    protected override void Fill()
    {
        Execute("""
        INSERT INTO interviewers (id, name, email, email_norm, skills, status, timezone, created_at, updated_at, version, storage_version)
        SELECT 'f' || n, md5(n::text) || ' ' || n, 'x' || n || '@example.com', 'x' || n || '@example.com', '[]', 'active', 'UTC',
               '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', 1, 1
          FROM generate_series(1, 5000) AS n;
        INSERT INTO interview_events (id, interviewer_id, title, candidate_name, candidate_email, candidate_email_norm, starts_at, ends_at,
                                      timezone, status, created_by, created_at, updated_at, version, storage_version)
        SELECT 'e' || n, 'f1', md5(n::text), md5((n + 1)::text), 'c' || n || '@example.com', 'c' || n || '@example.com',
               '2030-01-01T00:00:00.000Z', '2030-01-01T01:00:00.000Z', 'UTC', 'scheduled', 'tester',
               '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', 1, 1
          FROM generate_series(1, 5000) AS n;
        """);
        // A bulk insert leaves the GIN entries in the index's pending list, which the planner prices as a scan of it
        // (autovacuum merges it in use): the rows are merged and counted here.
        Execute("VACUUM ANALYZE interviewers");
        Execute("VACUUM ANALYZE interview_events");
    }

    protected override string SearchIndexStep(string table) => table == "interviewers" ? "ix_interviewers_search" : "ix_events_search";

    protected override string Plan(string sql, Dictionary<string, object?> parameters)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
        {
            steps.Add(reader.GetString(0));
        }
        return string.Join('\n', steps);
    }

}
