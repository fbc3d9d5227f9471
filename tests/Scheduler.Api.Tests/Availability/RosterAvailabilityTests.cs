using Scheduler.Users;
using static Scheduler.Api.Tests.Availability.AvailabilityApi;
using static Scheduler.Api.Tests.Events.EventsApi;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Availability;

/// <summary><c>GET /api/availability</c>: free slots across the roster.</summary>
[Collection(AvailabilityApiCollection.Name)]
public sealed class RosterAvailabilityTests(SchedulerApiFactory factory)
{
    private static string Window(string skill, int minutes = 60, string extra = "") =>
        $"/api/availability?skills={skill}&from={Iso(Monday)}&to={Iso(Monday.AddDays(1))}&durationMinutes={minutes}{extra}";

    [Fact]
    public async Task Roster_TwoInterviewers_ListsEachSlotWithWhoIsFree_LeastLoadedFirst()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var skill = NewSkill();
        var busy = await Working(talent, "12:00", skill);
        var idle = await Working(talent, "11:00", skill);
        await Book(talent, Booking(busy, Monday.AddHours(11), 60));

        var body = await ApiAssert.Json(await talent.GetAsync(Window(skill)), HttpStatusCode.OK);

        var slots = body.GetProperty("slots").EnumerateArray().ToDictionary(s => s.GetProperty("startsAt").GetString()!, s => Ids(s.GetProperty("interviewerIds")).ToArray());
        // 09:00-10:00 both (the idle one, with no interview, first); 10:00-11:00 both; the busy one's 11:00 is booked.
        Assert.Equal([idle, busy], slots[Iso(Monday.AddHours(9))]);
        Assert.Equal([idle, busy], slots[Iso(Monday.AddHours(10))]);
        Assert.False(slots.ContainsKey(Iso(Monday.AddHours(11))));
        var load = body.GetProperty("interviewers").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("scheduledInWindow").GetInt32());
        Assert.Equal(1, load[busy]);
        Assert.Equal(0, load[idle]);
        Assert.False(body.GetProperty("hasMore").GetBoolean());
        var capped = await ApiAssert.Json(await talent.GetAsync(Window(skill, 60, "&perSlot=1")), HttpStatusCode.OK);
        var first = capped.GetProperty("slots")[0];
        Assert.Equal([idle], Ids(first.GetProperty("interviewerIds")));
        Assert.Equal(2, first.GetProperty("freeCount").GetInt32());
    }

    [Fact]
    public async Task Roster_AppliesEachInterviewersRules_BufferAndInactiveAndMissingSkill()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var skill = NewSkill();
        var other = NewSkill();
        var buffered = await NewInterviewer(talent, new
        {
            skills = new[] { skill, other },
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = "12:00" }] },
            bufferMinutes = 30,
        });
        await NewInterviewer(talent, new { skills = new[] { skill, other }, status = "inactive" });
        await Working(talent, "12:00", skill); // lacks the second skill
        await Book(talent, Booking(buffered, Monday.AddHours(10), 30));

        var body = await ApiAssert.Json(await talent.GetAsync(Window(skill, 30, $"&skills={other}")), HttpStatusCode.OK);

        // 10:00-10:30 is booked and 30 minutes kept clear on each side: 09:00 and 11:00 onwards.
        Assert.Equal(
            [Iso(Monday.AddHours(9)), Iso(Monday.AddHours(11)), Iso(Monday.AddHours(11).AddMinutes(15)), Iso(Monday.AddHours(11).AddMinutes(30))],
            body.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("startsAt").GetString()));
        Assert.All(body.GetProperty("slots").EnumerateArray(), s => Assert.Equal([buffered], Ids(s.GetProperty("interviewerIds"))));
    }

    [Fact]
    public async Task Roster_CommaSeparatedSkillsAndLimit_ReturnsFirstSlots_AndSaysThereAreMore()
    {
        var interviewer = await factory.ClientAs(Roles.Interviewer);
        var talent = await factory.ClientAs(Roles.Talent);
        var skill = NewSkill();
        var other = NewSkill();
        await Working(talent, "17:00", skill, other);

        var body = await ApiAssert.Json(await interviewer.GetAsync(Window($"{skill},{other}", 60, "&limit=2")), HttpStatusCode.OK);

        // An interviewer user sees who is free, not how busy another interviewer is.
        Assert.Equal(JsonValueKind.Null, body.GetProperty("interviewers")[0].GetProperty("scheduledInWindow").ValueKind);
        Assert.Equal([Iso(Monday.AddHours(9)), Iso(Monday.AddHours(9).AddMinutes(15))],
            body.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("startsAt").GetString()));
        Assert.True(body.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task Roster_BadQuery_Returns400NamingEachField()
    {
        var talent = await factory.ClientAs(Roles.Talent);

        await ApiAssert.Invalid(await talent.GetAsync($"/api/availability?from={Iso(Monday)}&to={Iso(Monday.AddDays(40))}&durationMinutes=60"), "to");
        await ApiAssert.Invalid(await talent.GetAsync($"/api/availability?skills=&from={Iso(Monday)}&to={Iso(Monday.AddDays(1))}"), "skills", "durationMinutes");
        await ApiAssert.Invalid(await talent.GetAsync($"/api/availability?from={Iso(Monday)}&to={Iso(Monday.AddDays(1))}&durationMinutes=60&limit=0&perSlot=101"), "limit", "perSlot");
    }

    [Fact]
    public async Task Roster_WithoutToken_Returns401()
    {
        using var anonymous = factory.CreateClient();

        await ApiAssert.Problem(await anonymous.GetAsync(Window(NewSkill())), HttpStatusCode.Unauthorized);
    }
}
