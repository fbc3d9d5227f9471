using Microsoft.AspNetCore.SignalR;
using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;

namespace Scheduler.Api.Tests.Live;

/// <summary>
/// Who hears what on the live hub (long polling through the in-memory server): the REST API's object-level rules,
/// and a session that ends ends the connection.
/// </summary>
public sealed class LiveVisibilityTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    private Task<LiveListener> Listen(string token) =>
        LiveListener.Connect([factory.Server.BaseAddress], () => Task.FromResult<string?>(token), factory.Server.CreateHandler, reconnect: false);

    private static bool About(System.Text.Json.JsonElement message, string id) =>
        message.GetProperty("type").GetString() == "changed" && message.GetProperty("entityId").GetString() == id;

    [Fact]
    public async Task Talent_HearsEveryInterview_AndInterviewerUser_OnlyItsOwn()
    {
        using var talent = await factory.ClientAs(Roles.Talent);
        var own = await NewInterviewer(talent);
        var other = await NewInterviewer(talent);
        await using var staff = await Listen(await factory.TokenFor(Roles.Talent));
        await using var interviewer = await Listen(await factory.TokenFor(Roles.Interviewer, own));

        var othersInterview = await Book(talent, Booking(other, Monday.AddHours(9)));
        var ownInterview = await Book(talent, Booking(own, Monday.AddHours(9)));

        await staff.WaitFor(m => About(m, othersInterview), Within);
        await staff.WaitFor(m => About(m, ownInterview), Within);
        var heard = await interviewer.WaitFor(m => About(m, ownInterview), Within);
        Assert.DoesNotContain(interviewer.Heard, m => About(m, othersInterview));
        Assert.Equal("event", heard.GetProperty("entityType").GetString());
    }

    [Fact]
    public async Task InterviewMovedToAnotherInterviewer_TheFormerOneHearsItLeave()
    {
        using var talent = await factory.ClientAs(Roles.Talent);
        var before = await NewInterviewer(talent);
        var after = await NewInterviewer(talent);
        var interview = await Book(talent, Booking(before, Monday.AddHours(11)));
        await using var former = await Listen(await factory.TokenFor(Roles.Interviewer, before));

        await ApiAssert.Json(await talent.PutAsJsonAsync($"/api/events/{interview}", Booking(after, Monday.AddHours(11))), HttpStatusCode.OK);

        var moved = await former.WaitFor(m => About(m, interview), Within);
        Assert.Equal(2, moved.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task DisabledUser_IsDisconnected_AndHearsNothingMore()
    {
        using var admin = await factory.ClientAs(Roles.Admin);
        var interviewerId = await NewInterviewer(admin);
        var email = $"live.{Guid.NewGuid():N}@scheduler.test";
        var user = await factory.RegisterUser(email, "Live", "a-long-enough-password", Roles.Interviewer, interviewerId);
        await using var listener = await Listen(await factory.Login(email, "a-long-enough-password"));

        await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{user.Id}",
            new { name = "Live", roles = new[] { Roles.Interviewer }, interviewerId, disabled = true }), HttpStatusCode.OK);
        await listener.Closed.WaitAsync(Within);
        var booked = await Book(admin, Booking(interviewerId, Monday.AddHours(13)));

        Assert.DoesNotContain(listener.Heard, m => About(m, booked));
    }

    [Fact]
    public async Task Subscribe_WithANegativePosition_IsRefused()
    {
        await using var listener = await Listen(await factory.TokenFor(Roles.Talent));

        var error = await Assert.ThrowsAsync<HubException>(() => listener.Subscribe(-1));

        Assert.Contains("position", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_WithAMalformedLastEventId_Returns400_AndWithoutAToken401()
    {
        using var talent = await factory.ClientAs(Roles.Talent);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream");
        request.Headers.Add("Last-Event-ID", "yesterday");
        using var anonymous = factory.CreateClient();

        await ApiAssert.Problem(await talent.SendAsync(request), HttpStatusCode.BadRequest);
        await ApiAssert.Problem(await anonymous.GetAsync("/api/stream"), HttpStatusCode.Unauthorized);
    }
}
