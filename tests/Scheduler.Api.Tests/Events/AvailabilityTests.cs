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
        await ApiAssert.Invalid(tooLong, "to");
        await ApiAssert.Invalid(noDuration, "durationMinutes");
    }

    [Fact]
    public async Task Availability_DailyLimitReached_OffersNothingThatDay_ButTheNext()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(talent, new
        {
            workingHours = new Dictionary<string, object[]>
            {
                ["monday"] = [new { start = "09:00", end = "11:00" }],
                ["tuesday"] = [new { start = "09:00", end = "10:00" }],
            },
            maxInterviewsPerDay = 1,
        });
        await Book(talent, Booking(interviewer, Monday.AddHours(9), 30));

        var body = await ApiAssert.Json(await talent.GetAsync(
            $"/api/interviewers/{interviewer}/availability?from={Iso(Monday)}&to={Iso(Monday.AddDays(2))}&durationMinutes=30"), HttpStatusCode.OK);

        // Monday 09:30-11:00 is free of bookings, but the day has its one interview.
        Assert.Equal(
            [Iso(Monday.AddDays(1).AddHours(9)), Iso(Monday.AddDays(1).AddHours(9).AddMinutes(15)), Iso(Monday.AddDays(1).AddHours(9).AddMinutes(30))],
            StartTimes(body));
    }

    [Fact]
    public async Task Availability_DailyLimit_CountsTheInterviewersLocalDay()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        // Tokyo is UTC+9 all year: Monday 15:00Z is Tuesday 00:00 there.
        var interviewer = await NewInterviewer(talent, new { timezone = "Asia/Tokyo", maxInterviewsPerDay = 1 });
        await Book(talent, Booking(interviewer, Monday.AddHours(15), 60));

        var body = await ApiAssert.Json(await talent.GetAsync(
            $"/api/interviewers/{interviewer}/availability?from={Iso(Monday.AddHours(13))}&to={Iso(Monday.AddHours(18))}&durationMinutes=60"), HttpStatusCode.OK);

        // 13:00-15:00Z is Monday evening in Tokyo, a day without interviews; from 15:00Z it is Tuesday, which has one.
        Assert.Equal([Iso(Monday.AddHours(13)), Iso(Monday.AddHours(13).AddMinutes(15)), Iso(Monday.AddHours(13).AddMinutes(30)),
            Iso(Monday.AddHours(13).AddMinutes(45)), Iso(Monday.AddHours(14))], StartTimes(body));
    }

    [Fact]
    public async Task Availability_BufferOnBothSides_OffersSlotsExactlyTheBufferAway()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(talent, new
        {
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "08:00", end = "12:00" }] },
            bufferMinutes = 15,
        });
        await Book(talent, Booking(interviewer, Monday.AddHours(10), 60));

        var body = await ApiAssert.Json(await talent.GetAsync(
            $"/api/interviewers/{interviewer}/availability?from={Iso(Monday.AddHours(9))}&to={Iso(Monday.AddHours(12))}&durationMinutes=30"), HttpStatusCode.OK);

        // 09:15-09:45 ends 15 min before the interview, 11:15-11:45 starts 15 min after it; nothing closer.
        Assert.Equal([Iso(Monday.AddHours(9)), Iso(Monday.AddHours(9).AddMinutes(15)), Iso(Monday.AddHours(11).AddMinutes(15)), Iso(Monday.AddHours(11).AddMinutes(30))],
            StartTimes(body));
    }

    private static IEnumerable<string?> StartTimes(JsonElement body) =>
        body.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("startsAt").GetString()).ToArray();

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
