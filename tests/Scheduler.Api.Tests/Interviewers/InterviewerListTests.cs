using Scheduler.Api.Tests.Events;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Interviewers;

/// <summary>Filters, sorting, search and paging of the interviewer read model, on SQLite and on PostgreSQL.</summary>
public abstract class InterviewerListTests(SchedulerApiFactory factory)
{
    /// <summary>Creates interviewers tagged with a skill unique to the test, so filters see only them.</summary>
    private async Task<(HttpClient Client, string Tag)> Seed(params (string Name, string[] Skills, string Status)[] people)
    {
        var client = await factory.ClientAs(Roles.Talent);
        var tag = "tag" + Guid.NewGuid().ToString("N")[..10];
        foreach (var (name, skills, status) in people)
        {
            var response = await client.PostAsJsonAsync("/api/interviewers",
                new { name, email = $"{name.Replace(' ', '.')}.{tag}@example.com", skills = skills.Append(tag).ToArray(), status });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        return (client, tag);
    }

    private static string[] Names(JsonElement body) =>
        [.. body.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];

    [Fact]
    public async Task List_DefaultSort_IsByNameCaseInsensitive_WithPagination()
    {
        var (client, tag) = await Seed(("carol", [], "active"), ("Alice", [], "active"), ("bob", [], "active"));

        var body = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}"), HttpStatusCode.OK);

        Assert.Equal(["Alice", "bob", "carol"], Names(body));
        var pagination = body.GetProperty("pagination");
        Assert.Equal(3, pagination.GetProperty("total").GetInt64());
        Assert.Equal(50, pagination.GetProperty("limit").GetInt32());
        Assert.Equal(0, pagination.GetProperty("offset").GetInt32());
        Assert.False(pagination.GetProperty("hasMore").GetBoolean());
    }

    // The class's tests run one at a time on a database of their own, so the whole roster's totals are theirs to count.
    [Fact]
    public async Task List_WithoutFilters_TotalCountsEveryLiveInterviewerBesideItsPage()
    {
        var client = await factory.ClientAs(Roles.Talent);
        static long Total(JsonElement body) => body.GetProperty("pagination").GetProperty("total").GetInt64();
        var before = Total(await ApiAssert.Json(await client.GetAsync("/api/interviewers?limit=1"), HttpStatusCode.OK));
        var activeBefore = Total(await ApiAssert.Json(await client.GetAsync("/api/interviewers?limit=1&status=active"), HttpStatusCode.OK));
        var (_, tag) = await Seed(("zz-unfiltered-1", [], "active"), ("zz-unfiltered-2", [], "inactive"), ("zz-unfiltered-3", [], "active"));
        var removed = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&limit=1"), HttpStatusCode.OK);
        var removedId = removed.GetProperty("data")[0].GetProperty("id").GetString();
        var admin = await factory.ClientAs(Roles.Admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/interviewers/{removedId}")).StatusCode);

        var first = await ApiAssert.Json(await client.GetAsync("/api/interviewers?limit=1"), HttpStatusCode.OK);
        var active = await ApiAssert.Json(await client.GetAsync("/api/interviewers?limit=1&status=active&sort=-createdAt"), HttpStatusCode.OK);
        var all = await ApiAssert.Json(await client.GetAsync("/api/interviewers?limit=100"), HttpStatusCode.OK);
        var last = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?limit=1&offset={before + 1}"), HttpStatusCode.OK);

        Assert.Equal(before + 2, Total(first));
        Assert.Single(Names(first));
        Assert.True(first.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        Assert.Equal(activeBefore + 1, Total(active));
        Assert.Equal(["zz-unfiltered-3"], Names(active));
        Assert.Equal(before + 2, Total(all));
        Assert.Equal(before + 2, Names(all).Length);
        Assert.Contains("zz-unfiltered-2", Names(all));
        Assert.DoesNotContain("zz-unfiltered-1", Names(all));
        Assert.Equal([Names(all)[^1]], Names(last));
        Assert.False(last.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task EventsList_TotalCountsTheMatchesBesideItsPage()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await EventsApi.NewInterviewer(client);
        var first = await EventsApi.Book(client, EventsApi.Booking(interviewer, EventsApi.Monday.AddHours(9)));
        await EventsApi.Book(client, EventsApi.Booking(interviewer, EventsApi.Monday.AddHours(11)));
        await EventsApi.Book(client, EventsApi.Booking(interviewer, EventsApi.Monday.AddHours(13)));

        var page = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/events?limit=1"), HttpStatusCode.OK);
        var none = await ApiAssert.Json(await client.GetAsync($"/api/events?interviewerId={interviewer}&status=cancelled"), HttpStatusCode.OK);

        Assert.Equal([first], page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray());
        Assert.Equal(3, page.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.True(page.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        Assert.Empty(none.GetProperty("data").EnumerateArray());
        Assert.Equal(0, none.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task List_LimitAndOffset_PageThroughWithHasMore()
    {
        var (client, tag) = await Seed(("a1", [], "active"), ("a2", [], "active"), ("a3", [], "active"));

        var first = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&limit=2"), HttpStatusCode.OK);
        var second = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&limit=2&offset=2"), HttpStatusCode.OK);

        Assert.Equal(["a1", "a2"], Names(first));
        Assert.True(first.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        Assert.Equal(["a3"], Names(second));
        Assert.False(second.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task List_StatusAndAllSkillsFilter_MatchCaseInsensitively()
    {
        var (client, tag) = await Seed(("both", ["Go", "SQL"], "active"), ("go-only", ["go"], "active"), ("inactive", ["go", "sql"], "inactive"));

        var body = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&skill=GO&skill=sql&status=active"), HttpStatusCode.OK);
        var inactive = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&status=inactive"), HttpStatusCode.OK);

        Assert.Equal(["both"], Names(body));
        Assert.Equal(["inactive"], Names(inactive));
    }

    [Fact]
    public async Task List_SkillAndStatusFilterTotal_FollowsStatusChangesAndDeletes()
    {
        var (client, tag) = await Seed(("ann", ["go"], "active"), ("ben", ["go"], "active"), ("cid", ["sql"], "inactive"));
        async Task<(long Active, long Inactive, long ActiveGo)> Totals()
        {
            var active = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&status=active"), HttpStatusCode.OK);
            var inactive = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&status=inactive"), HttpStatusCode.OK);
            var activeGo = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&skill=go&status=active"), HttpStatusCode.OK);
            return (Total(active), Total(inactive), Total(activeGo));
        }
        var list = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}"), HttpStatusCode.OK);
        string Id(string name) => list.GetProperty("data").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
        var before = await Totals();

        await ApiAssert.Json(await client.PutAsJsonAsync($"/api/interviewers/{Id("ben")}",
            new { name = "ben", email = $"ben.{tag}@example.com", skills = new[] { "go", tag }, status = "inactive" }), HttpStatusCode.OK);
        var afterChange = await Totals();
        var admin = await factory.ClientAs(Roles.Admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/interviewers/{Id("ann")}")).StatusCode);
        var afterDelete = await Totals();

        Assert.Equal((2, 1, 2), before);
        Assert.Equal((1, 2, 1), afterChange);
        Assert.Equal((0, 2, 0), afterDelete);
    }

    private static long Total(JsonElement body) => body.GetProperty("pagination").GetProperty("total").GetInt64();

    [Fact]
    public async Task List_Query_MatchesNameOrEmailSubstring()
    {
        var (client, tag) = await Seed(("Margaret Hamilton", [], "active"), ("Ken Thompson", [], "active"));

        var byName = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&q=HAMIL"), HttpStatusCode.OK);
        var byEmail = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&q=ken.thom"), HttpStatusCode.OK);

        Assert.Equal(["Margaret Hamilton"], Names(byName));
        Assert.Equal(["Ken Thompson"], Names(byEmail));
    }

    [Fact]
    public async Task List_Query_MatchesNonAsciiNamesInAnyCase()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var tag = "tag" + Guid.NewGuid().ToString("N")[..10];
        foreach (var (name, email) in new[] { ("Émile Zola", "ez"), ("Łukasz Ślusarczyk", "ls") })
        {
            // Emails without the name, so only the name can match.
            await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", new { name, email = $"{email}.{tag}@example.com", skills = new[] { tag } }),
                HttpStatusCode.Created);
        }

        var lower = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&q=émile"), HttpStatusCode.OK);
        var upper = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&q=ŚLUSAR"), HttpStatusCode.OK);

        Assert.Equal(["Émile Zola"], Names(lower));
        Assert.Equal(["Łukasz Ślusarczyk"], Names(upper));
    }

    [Fact]
    public async Task List_SortDescendingAndByCreatedAt()
    {
        var (client, tag) = await Seed(("x-first", [], "active"), ("z-second", [], "active"), ("y-third", [], "active"));

        var byNameDesc = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&sort=-name"), HttpStatusCode.OK);
        var byCreated = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&sort=createdAt"), HttpStatusCode.OK);
        var byCreatedDesc = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&sort=-createdAt"), HttpStatusCode.OK);

        Assert.Equal(["z-second", "y-third", "x-first"], Names(byNameDesc));
        Assert.Equal(["x-first", "z-second", "y-third"], Names(byCreated));
        Assert.Equal(["y-third", "z-second", "x-first"], Names(byCreatedDesc));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=abc")]
    [InlineData("offset=-1")]
    [InlineData("status=retired")]
    [InlineData("sort=salary")]
    public async Task List_InvalidQuery_Returns400NamingTheParameter(string query)
    {
        var client = await factory.ClientAs(Roles.Interviewer);

        var response = await client.GetAsync($"/api/interviewers?{query}");

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(query[..query.IndexOf('=')], out _), problem.GetRawText());
    }

    [Fact]
    public async Task List_Query_WithoutSort_ListsTheBestMatchFirst()
    {
        var (client, tag) = await Seed(("Abe Gracey", [], "active"), ("Zoe Grace Gracey", [], "active"));

        var ranked = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&q=GRA"), HttpStatusCode.OK);
        var byName = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&q=GRA&sort=name"), HttpStatusCode.OK);

        Assert.Equal(["Zoe Grace Gracey", "Abe Gracey"], Names(ranked));
        Assert.Equal(JsonValueKind.Null, ranked.GetProperty("pagination").GetProperty("nextCursor").ValueKind);
        Assert.Equal(["Abe Gracey", "Zoe Grace Gracey"], Names(byName));
    }

    [Fact]
    public async Task List_Cursor_ContinuesAfterThePage_AndAForeignCursorIs400()
    {
        var (client, tag) = await Seed(("c1", [], "active"), ("c2", [], "active"), ("c3", [], "active"));

        var first = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&limit=2"), HttpStatusCode.OK);
        var cursor = Uri.EscapeDataString(first.GetProperty("pagination").GetProperty("nextCursor").GetString()!);
        // Before the cursor: an offset would now list c2 again.
        await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", new { name = "c0", email = $"c0.{tag}@example.com", skills = new[] { tag } }),
            HttpStatusCode.Created);
        var second = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?skill={tag}&limit=2&cursor={cursor}"), HttpStatusCode.OK);

        Assert.Equal(["c1", "c2"], Names(first));
        Assert.Equal(["c3"], Names(second));
        Assert.False(second.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("pagination").GetProperty("nextCursor").ValueKind);
        await ApiAssert.Invalid(await client.GetAsync($"/api/interviewers?skill={tag}&cursor=not-a-cursor"), "cursor");
        await ApiAssert.Invalid(await client.GetAsync($"/api/interviewers?skill={tag}&sort=-name&cursor={cursor}"), "cursor");
        await ApiAssert.Invalid(await client.GetAsync($"/api/interviewers?skill={tag}&q=c1&cursor={cursor}"), "cursor");
        await ApiAssert.Invalid(await client.GetAsync($"/api/interviewers?skill={tag}&offset=2&cursor={cursor}"), "offset");
    }
}

public sealed class SqliteInterviewerListTests(SchedulerApiFactory factory) : InterviewerListTests(factory), IClassFixture<SchedulerApiFactory>;

public sealed class PostgreSqlInterviewerListTests(PostgreSqlApiFactory factory) : InterviewerListTests(factory), IClassFixture<PostgreSqlApiFactory>;
