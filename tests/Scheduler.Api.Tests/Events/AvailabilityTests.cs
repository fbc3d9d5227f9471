using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Events;

/// <summary>An interviewer's free slots.</summary>
[Collection(EventsApiCollection.Name)]
public sealed class AvailabilityTests(SchedulerApiFactory factory)
{
    [Fact]
    public async Task Availability_ReturnsFreeSlots_AndRejectsLongWindows()
    {
        var client = await factory.ClientAs(Roles.Interviewer);
        var talent = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(talent, new
        {
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = "11:00" }] },
            bufferMinutes = 15,
        });
        await ApiAssert.Json(await talent.PostAsJsonAsync("/api/events", Booking(interviewer, Monday.AddHours(9).AddMinutes(30), 30)), HttpStatusCode.Created);

        var body = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{interviewer}/availability?from={Iso(Monday)}&to={Iso(Monday.AddDays(1))}&durationMinutes=30"), HttpStatusCode.OK);
        var tooLong = await client.GetAsync($"/api/interviewers/{interviewer}/availability?from={Iso(Monday)}&to={Iso(Monday.AddDays(32))}&durationMinutes=30");
        var noDuration = await client.GetAsync($"/api/interviewers/{interviewer}/availability?from={Iso(Monday)}&to={Iso(Monday.AddDays(1))}");

        Assert.Equal(
            [Iso(Monday.AddHours(10).AddMinutes(15)), Iso(Monday.AddHours(10).AddMinutes(30))],
            body.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("startsAt").GetString()));
        await ApiAssert.Problem(tooLong, HttpStatusCode.BadRequest);
        await ApiAssert.Problem(noDuration, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-02T00:00:00Z", "from")]
    [InlineData("9999-12-30T00:00:00Z", "9999-12-31T00:00:00Z", "from")]
    public async Task Availability_OutsideTheCalendarRange_Returns400(string from, string to, string field)
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client, new
        {
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = "11:00" }] },
        });

        var problem = await ApiAssert.Problem(
            await client.GetAsync($"/api/interviewers/{interviewer}/availability?from={from}&to={to}&durationMinutes=30"), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
