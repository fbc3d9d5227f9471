using Scheduler.Users;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Security;

/// <summary>An interviewer-role user sees and edits only what is its own (OWASP API1, broken object-level authorization).</summary>
public sealed class ObjectAccessTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private static readonly DateTime Day = DateTime.UtcNow.Date.AddDays(9);

    private async Task<(HttpClient Staff, HttpClient Own, string A, string B, string EventA, string EventB)> Arrange()
    {
        var staff = await factory.ClientAs(Roles.Talent);
        async Task<string> NewInterviewer(string name) => (await ApiAssert.Json(await staff.PostAsJsonAsync("/api/interviewers",
            new { name, email = $"{name}.{Guid.NewGuid():N}@example.com", skills = new[] { "go" } }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        async Task<string> Book(string interviewer, int hour) => (await ApiAssert.Json(await staff.PostAsJsonAsync("/api/events", new
        {
            interviewerId = interviewer,
            title = "Interview",
            candidateName = "C",
            candidateEmail = "c@example.com",
            startsAt = Iso(Day.AddHours(hour)),
            endsAt = Iso(Day.AddHours(hour + 1)),
        }), HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var a = await NewInterviewer("alice");
        var b = await NewInterviewer("bob");
        var own = await factory.ClientAs(Roles.Interviewer, interviewerId: a);
        return (staff, own, a, b, await Book(a, 9), await Book(b, 10));
    }

    [Fact]
    public async Task Interviewer_SeesOnlyItsOwnInterviews()
    {
        var (_, own, a, b, eventA, eventB) = await Arrange();

        var list = await ApiAssert.Json(await own.GetAsync("/api/events?limit=100"), HttpStatusCode.OK);
        var mine = await own.GetAsync($"/api/events/{eventA}");
        var theirs = await own.GetAsync($"/api/events/{eventB}");
        var filterOther = await own.GetAsync($"/api/events?interviewerId={b}");

        Assert.All(list.GetProperty("data").EnumerateArray(), e => Assert.Equal(a, e.GetProperty("interviewerId").GetString()));
        Assert.Contains(list.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == eventA);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        await ApiAssert.Problem(theirs, HttpStatusCode.NotFound);
        await ApiAssert.Problem(filterOther, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Interviewer_EditsOwnWorkingSettings_ButNotNameStatusEmailOrOthers()
    {
        var (staff, own, a, b, _, _) = await Arrange();
        var current = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{a}"), HttpStatusCode.OK);
        var email = current.GetProperty("email").GetString();
        var name = current.GetProperty("name").GetString();

        // Its own interviews (arranged above) stay as booked under the new hours: that is the interviewer's call too.
        var hours = await own.PutAsJsonAsync($"/api/interviewers/{a}?keepBookings=true", new
        {
            name,
            email,
            skills = new[] { "go", "rust" },
            timezone = "Europe/Berlin",
            bufferMinutes = 10,
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = "17:00" }] },
        });
        var status = await own.PutAsJsonAsync($"/api/interviewers/{a}", new { name, email, status = "inactive" });
        var newEmail = await own.PutAsJsonAsync($"/api/interviewers/{a}", new { name, email = "other@example.com" });
        var newName = await own.PutAsJsonAsync($"/api/interviewers/{a}", new { name = "Alicia", email });
        var other = await own.PutAsJsonAsync($"/api/interviewers/{b}", new { name = "Bob", email = "bob@example.com" });

        var updated = await ApiAssert.Json(hours, HttpStatusCode.OK);
        Assert.Equal(10, updated.GetProperty("bufferMinutes").GetInt32());
        await ApiAssert.Problem(status, HttpStatusCode.Forbidden);
        await ApiAssert.Problem(newEmail, HttpStatusCode.Forbidden);
        await ApiAssert.Problem(newName, HttpStatusCode.Forbidden);
        await ApiAssert.Problem(other, HttpStatusCode.Forbidden);
        var after = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{a}"), HttpStatusCode.OK);
        Assert.Equal("active", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Interviewer_AgainstEveryIdRouteOfAnother_GetsNo2xx()
    {
        var (_, own, _, b, _, eventB) = await Arrange();
        var body = new { name = "x", email = "x@example.com" };
        var now = Iso(Day);
        var later = Iso(Day.AddDays(1));

        var attempts = new[]
        {
            await own.GetAsync($"/api/events/{eventB}"),
            await own.PutAsJsonAsync($"/api/events/{eventB}", new { interviewerId = b, title = "t", candidateName = "c", candidateEmail = "c@example.com", startsAt = now, endsAt = Iso(Day.AddHours(1)) }),
            await own.PostAsJsonAsync($"/api/events/{eventB}/cancel", new { }),
            await own.PostAsync($"/api/events/{eventB}/complete", null),
            await own.DeleteAsync($"/api/events/{eventB}"),
            await own.PutAsJsonAsync($"/api/interviewers/{b}", body),
            await own.DeleteAsync($"/api/interviewers/{b}"),
            await own.GetAsync($"/api/interviewers/{b}/events"),
            await own.GetAsync($"/api/interviewers/{b}/calendar"),
        };

        Assert.All(attempts, r => Assert.False(r.IsSuccessStatusCode, $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} answered {(int)r.StatusCode}"));
        Assert.All(attempts, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound }));
        // The roster and availability stay readable to every signed-in user.
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/interviewers/{b}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/interviewers/{b}/availability?from={now}&to={later}&durationMinutes=30")).StatusCode);
    }
}
