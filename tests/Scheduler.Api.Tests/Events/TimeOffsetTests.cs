using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Events;

/// <summary>Times the API reads carry their offset: one without is a 400 naming the field, never read in the server's zone.</summary>
[Collection(EventsApiCollection.Name)]
public sealed class TimeOffsetTests(SchedulerApiFactory factory)
{
    [Fact]
    public async Task Schedule_TimeWithoutUtcOffset_Returns400NamingIt_AndAnOffsetIsHonoured()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var local = Monday.AddHours(9).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        object Body(string startsAt, string endsAt) => new
        {
            interviewerId = interviewer,
            title = "Offsets",
            candidateName = "C",
            candidateEmail = "c@example.com",
            startsAt,
            endsAt,
        };

        var withoutOffset = await client.PostAsJsonAsync("/api/events", Body(local, Iso(Monday.AddHours(10))));
        var withOffset = await client.PostAsJsonAsync("/api/events", Body(local + "+02:00", Iso(Monday.AddHours(8))));

        var problem = await ApiAssert.Problem(withoutOffset, HttpStatusCode.BadRequest);
        Assert.Contains("offset", Assert.Single(problem.GetProperty("errors").GetProperty("startsAt").EnumerateArray()).GetString(), StringComparison.Ordinal);
        var booked = await ApiAssert.Json(withOffset, HttpStatusCode.Created);
        Assert.Equal(Iso(Monday.AddHours(7)), booked.GetProperty("startsAt").GetString());
    }

    [Theory]
    [InlineData("/api/events?from={0}", "2099-01-01T09:00:00")]
    [InlineData("/api/interviewers/{1}/availability?from={0}&to=2099-01-02T00:00:00Z&durationMinutes=30", "2099-01-01T09:00:00")]
    [InlineData("/api/audit-logs?from={0}", "2099-01-01T09:00:00")]
    [InlineData("/api/events?from={0}", "Thu 2099-01-01 09:00")]
    [InlineData("/api/events?from={0}", "2099-01-01")]
    public async Task Query_TimeWithoutUtcOffset_Returns400NamingIt(string template, string value)
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(admin);

        var response = await admin.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, value, interviewer));

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("offset", Assert.Single(problem.GetProperty("errors").GetProperty("from").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2099-01-01T09:00:00Z")]
    [InlineData("2099-01-01T10:00:00.5%2B01:00")]
    [InlineData("2099-01-01T04:00-05:00")]
    [InlineData("2099-01-01T10:00:00%2B0100")]
    public async Task Query_TimeWithItsOffset_IsAccepted(string value)
    {
        var client = await factory.ClientAs(Roles.Talent);

        var response = await client.GetAsync($"/api/events?from={value}");

        await ApiAssert.Json(response, HttpStatusCode.OK);
    }
}
