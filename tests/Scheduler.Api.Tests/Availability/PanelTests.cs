using Scheduler.Users;
using static Scheduler.Api.Tests.Availability.AvailabilityApi;
using static Scheduler.Api.Tests.Events.EventsApi;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Availability;

/// <summary><c>POST /api/availability/panel</c> and booking a panel.</summary>
[Collection(AvailabilityApiCollection.Name)]
public sealed class PanelTests(SchedulerApiFactory factory)
{
    private static object Panel(string[][] requirements, int minutes = 60, string? mode = null) => new
    {
        requirements = requirements.Select(skills => new { skills }).ToArray(),
        durationMinutes = minutes,
        from = Iso(Monday),
        to = Iso(Monday.AddDays(1)),
        mode,
    };

    private static List<(string Start, string[] Interviewers)> Panels(JsonElement body) =>
        [.. body.GetProperty("panels").EnumerateArray().Select(p => (p.GetProperty("startsAt").GetString()!,
            p.GetProperty("sessions").EnumerateArray().OrderBy(s => s.GetProperty("requirement").GetInt32())
                .Select(s => s.GetProperty("interviewerId").GetString()!).ToArray()))];

    [Fact]
    public async Task Panel_OnePersonMatchesBothRequirements_IsGivenTheOneOnlyTheyCanFill()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var (java, design) = (NewSkill(), NewSkill());
        // Both skills: tried first for java (created first, so its id sorts first at equal load), it must move to design.
        var both = await Working(talent, "11:00", java, design);
        var javaOnly = await Working(talent, "11:00", java);

        var body = await ApiAssert.Json(await talent.PostAsJsonAsync("/api/availability/panel", Panel([[java], [design]])), HttpStatusCode.OK);

        var panels = Panels(body);
        Assert.Equal(Iso(Monday.AddHours(9)), panels[0].Start);
        Assert.Equal(5, panels.Count); // 09:00 to 10:00, every 15 minutes
        Assert.All(panels, p => Assert.Equal([javaOnly, both], p.Interviewers));
    }

    [Fact]
    public async Task Panel_OnlyOnePersonForTwoRequirements_FindsNoPanel()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var (java, design) = (NewSkill(), NewSkill());
        await Working(talent, "17:00", java, design);

        var body = await ApiAssert.Json(await talent.PostAsJsonAsync("/api/availability/panel", Panel([[java], [design]])), HttpStatusCode.OK);

        Assert.Empty(Panels(body));
        Assert.False(body.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task Panel_BackToBack_PlacesSessionsConsecutively_EachWhenItsInterviewerIsFree()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var (first, second) = (NewSkill(), NewSkill());
        var morning = await Working(talent, "10:00", first);
        var later = await NewInterviewer(talent, new
        {
            skills = new[] { second },
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "10:00", end = "11:00" }] },
        });

        var body = await ApiAssert.Json(await talent.PostAsJsonAsync("/api/availability/panel", Panel([[first], [second]], 60, "back-to-back")), HttpStatusCode.OK);

        var panel = Assert.Single(body.GetProperty("panels").EnumerateArray());
        Assert.Equal(Iso(Monday.AddHours(9)), panel.GetProperty("startsAt").GetString());
        Assert.Equal(Iso(Monday.AddHours(11)), panel.GetProperty("endsAt").GetString());
        Assert.Equal(
            [(morning, Iso(Monday.AddHours(9))), (later, Iso(Monday.AddHours(10)))],
            panel.GetProperty("sessions").EnumerateArray().Select(s => (s.GetProperty("interviewerId").GetString(), s.GetProperty("startsAt").GetString())));
    }

    [Fact]
    public async Task Panel_BadRequest_Returns400NamingEachField()
    {
        var talent = await factory.ClientAs(Roles.Talent);

        await ApiAssert.Invalid(await talent.PostAsJsonAsync("/api/availability/panel", Panel([[NewSkill()]], 50, "back-to-back")), "durationMinutes");
        await ApiAssert.Invalid(await talent.PostAsJsonAsync("/api/availability/panel", Panel([[""]], 60, "sideways")), "requirements[0].skills", "mode");
        await ApiAssert.Invalid(await talent.PostAsJsonAsync("/api/availability/panel", Panel([], 60)), "requirements");
    }

    [Fact]
    public async Task BookPanel_AllFree_BooksEveryInterview()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var skill = NewSkill();
        var (a, b) = (await Working(talent, "12:00", skill), await Working(talent, "12:00", skill));

        var body = await ApiAssert.Json(await talent.PostAsJsonAsync("/api/availability/panel/book", Booking([(a, 9), (b, 9)])), HttpStatusCode.OK);

        var events = body.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal([a, b], events.Select(e => e.GetProperty("interviewerId").GetString()));
        foreach (var e in events)
        {
            var stored = await ApiAssert.Json(await talent.GetAsync($"/api/events/{e.GetProperty("id").GetString()}"), HttpStatusCode.OK);
            Assert.Equal("scheduled", stored.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task BookPanel_SecondSessionConflicts_Returns409NamingIt_AndLeavesNothingBooked()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var skill = NewSkill();
        var (a, b, c) = (await Working(talent, "12:00", skill), await Working(talent, "12:00", skill), await Working(talent, "12:00", skill));
        await Book(talent, Events.EventsApi.Booking(b, Monday.AddHours(10), 30));

        var problem = await ApiAssert.Problem(
            await talent.PostAsJsonAsync("/api/availability/panel/book", Booking([(a, 10), (b, 10), (c, 10)])), HttpStatusCode.Conflict);

        Assert.Equal("slot_conflict", problem.GetProperty("code").GetString());
        Assert.Equal(1, problem.GetProperty("failedSession").GetInt32());
        Assert.Equal(b, problem.GetProperty("interviewerId").GetString());
        foreach (var (id, expected) in new[] { (a, 0), (b, 1), (c, 0) })
        {
            var calendar = await ApiAssert.Json(await talent.GetAsync($"/api/interviewers/{id}/calendar"), HttpStatusCode.OK);
            Assert.Equal(expected, calendar.GetProperty("reservations").GetArrayLength());
        }
        var listed = await ApiAssert.Json(await talent.GetAsync($"/api/events?interviewerId={a}"), HttpStatusCode.OK);
        Assert.Equal(0, listed.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task BookPanel_AsInterviewer_Returns403_AndUnknownInterviewerReturns400()
    {
        var interviewer = await factory.ClientAs(Roles.Interviewer);
        var talent = await factory.ClientAs(Roles.Talent);
        var a = await Working(talent, "12:00", NewSkill());

        await ApiAssert.Problem(await interviewer.PostAsJsonAsync("/api/availability/panel/book", Booking([(a, 9)])), HttpStatusCode.Forbidden);
        await ApiAssert.Invalid(
            await talent.PostAsJsonAsync("/api/availability/panel/book", Booking([(a, 9), ("nobody" + Guid.NewGuid().ToString("N"), 9)])),
            "sessions[1].interviewerId");
        var calendar = await ApiAssert.Json(await talent.GetAsync($"/api/interviewers/{a}/calendar"), HttpStatusCode.OK);
        Assert.Equal(0, calendar.GetProperty("reservations").GetArrayLength());
    }

    private static object Booking((string Interviewer, int Hour)[] sessions) => new
    {
        title = "Panel interview",
        candidateName = "Casey Candidate",
        candidateEmail = "casey@example.com",
        sessions = sessions.Select(s => new { interviewerId = s.Interviewer, startsAt = Iso(Monday.AddHours(s.Hour)), endsAt = Iso(Monday.AddHours(s.Hour + 1)) }).ToArray(),
    };
}
