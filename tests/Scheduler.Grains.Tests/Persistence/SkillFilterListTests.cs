using Scheduler.Common;
using Scheduler.Grains.Interviewers;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>
/// A skill filter's page is read either by walking the sort index or from the skill's rows, whichever the matches'
/// number makes cheaper (many matches: the walk; few against the roster: the skill's rows, sorted). Both give the same
/// page. The roster here: 8 "rust" interviewers created first (3 of them also "go", 2 inactive), then 40 "go"
/// interviewers, as when the interviewers added lately lack a skill. Each test has a database of its own.
/// </summary>
public abstract class SkillFilterListTests(OwnDatabase own) : ReadModelDatabaseTests(own)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly List<Interviewer> _roster = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        for (var n = 0; n < 48; n++)
        {
            string[] skills = n < 8 ? (n % 3 == 0 ? ["rust", "go"] : ["rust"]) : ["go"];
            var status = n is 1 or 4 ? InterviewerStatus.Inactive : InterviewerStatus.Active;
            var at = Start.AddMinutes(n);
            // Names out of creation order, so that the name sort and the creation sort differ.
            _roster.Add(new Interviewer(TestData.NewId(), $"Person {(n * 17) % 48:D2}", $"p{n}@example.com", skills, status, "UTC", at, at, 1));
        }
        Project([.. _roster.Select(interviewer => InterviewerReadModel.Projection(interviewer, deleted: false, storageVersion: 1))]);
    }

    [Theory]
    [InlineData("go", InterviewerSort.CreatedAt, true, 5, 5)]   // 43 matches: the walk
    [InlineData("go", InterviewerSort.Name, false, 5, 30)]
    [InlineData("rust", InterviewerSort.CreatedAt, true, 2, 2)] // 8 matches, older than the rest: the skill's rows
    [InlineData("rust", InterviewerSort.Name, false, 3, 0)]
    [InlineData("rust", InterviewerSort.Email, true, 50, 0)]
    public async Task SkillFilter_CommonOrRareSkill_PageAndTotalAsFromTheWholeRoster(string skill, InterviewerSort sort, bool descending, int limit, int offset)
    {
        var page = await InterviewerReadModel.List(Queries, new InterviewerQuery(null, [skill], null, sort, descending, limit, offset));

        var expected = Sorted(_roster.Where(i => i.Skills.Contains(skill)), sort, descending);
        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(expected.Skip(offset).Take(limit).Select(i => i.Id), page.Items.Select(i => i.Id));
        Assert.Equal(offset + limit < expected.Count, page.More ?? page.Offset + page.Items.Count < page.Total);
    }

    [Fact]
    public async Task SkillFilter_RareSkillWithStatusAndSecondSkill_ListsOnlyRowsMatchingAll()
    {
        var active = await InterviewerReadModel.List(Queries, new InterviewerQuery(InterviewerStatus.Active, ["rust"], null, InterviewerSort.CreatedAt, true, 50, 0));
        var inactive = await InterviewerReadModel.List(Queries, new InterviewerQuery(InterviewerStatus.Inactive, ["RUST"], null, InterviewerSort.Name, false, 50, 0));
        var both = await InterviewerReadModel.List(Queries, new InterviewerQuery(null, ["rust", "go"], null, InterviewerSort.CreatedAt, false, 50, 0));

        var rust = _roster.Where(i => i.Skills.Contains("rust")).ToList();
        Assert.Equal(Sorted(rust.Where(i => i.Status == InterviewerStatus.Active), InterviewerSort.CreatedAt, true).Select(i => i.Id), active.Items.Select(i => i.Id));
        Assert.Equal(6, active.Total);
        Assert.Equal(Sorted(rust.Where(i => i.Status == InterviewerStatus.Inactive), InterviewerSort.Name, false).Select(i => i.Id), inactive.Items.Select(i => i.Id));
        Assert.Equal(2, inactive.Total);
        Assert.Equal(Sorted(rust.Where(i => i.Skills.Contains("go")), InterviewerSort.CreatedAt, false).Select(i => i.Id), both.Items.Select(i => i.Id));
        Assert.Equal(3, both.Total);
    }

    [Fact]
    public async Task SkillFilter_RareSkillPagedByCursor_VisitsEveryMatchOnceInOrder()
    {
        var seen = new List<string>();
        PageCursor? cursor = null;
        do
        {
            var page = await InterviewerReadModel.List(Queries, new InterviewerQuery(null, ["rust"], null, InterviewerSort.Name, true, 3, 0, cursor));
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(Sorted(_roster.Where(i => i.Skills.Contains("rust")), InterviewerSort.Name, true).Select(i => i.Id), seen);
    }

    private static List<Interviewer> Sorted(IEnumerable<Interviewer> interviewers, InterviewerSort sort, bool descending)
    {
        Func<Interviewer, string> key = sort switch
        {
            InterviewerSort.CreatedAt => i => i.CreatedAt.UtcTicks.ToString("D20", System.Globalization.CultureInfo.InvariantCulture),
            InterviewerSort.Email => i => i.Email.ToLowerInvariant(),
            _ => i => i.Name.ToLowerInvariant(),
        };
        var ordered = descending
            ? interviewers.OrderByDescending(key, StringComparer.Ordinal).ThenByDescending(i => i.Id, StringComparer.Ordinal)
            : interviewers.OrderBy(key, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal);
        return [.. ordered];
    }
}

public sealed class SqliteSkillFilterListTests() : SkillFilterListTests(OwnDatabase.Sqlite());

public sealed class PostgreSqlSkillFilterListTests() : SkillFilterListTests(OwnDatabase.PostgreSql());
