using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;

namespace Scheduler.Api.Tests.Events;

/// <summary>Cancelling, completing and deleting an interview.</summary>
[Collection(EventsApiCollection.Name)]
public sealed class LifecycleTests(SchedulerApiFactory factory)
{
    [Fact]
    public async Task CancelCompleteDelete_Lifecycle()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewer = await NewInterviewer(talent);
        var soon = DateTime.UtcNow.AddMinutes(10);
        var toCancel = await Book(talent, Booking(interviewer, Monday.AddHours(9)));
        var toComplete = await Book(talent, Booking(interviewer, soon, 30));

        var cancelled = await ApiAssert.Json(await talent.PostAsJsonAsync($"/api/events/{toCancel}/cancel", new { reason = "position filled" }), HttpStatusCode.OK);
        var cancelAgain = await talent.PostAsJsonAsync($"/api/events/{toCancel}/cancel", new { });
        var rescheduleCancelled = await talent.PutAsJsonAsync($"/api/events/{toCancel}", Booking(interviewer, Monday.AddHours(10)));
        var early = await talent.PostAsync($"/api/events/{toComplete}/complete", null);
        factory.Clock.Advance(TimeSpan.FromMinutes(12));
        HttpResponseMessage completed;
        try
        {
            completed = await talent.PostAsync($"/api/events/{toComplete}/complete", null);
        }
        finally
        {
            factory.Clock.Reset();
        }
        var talentDelete = await talent.DeleteAsync($"/api/events/{toCancel}");
        var adminDelete = await admin.DeleteAsync($"/api/events/{toCancel}");

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("position filled", cancelled.GetProperty("cancellationReason").GetString());
        Assert.Equal("event_closed", (await ApiAssert.Problem(cancelAgain, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal("event_closed", (await ApiAssert.Problem(rescheduleCancelled, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal("not_started", (await ApiAssert.Problem(early, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal("completed", (await ApiAssert.Json(completed, HttpStatusCode.OK)).GetProperty("status").GetString());
        await ApiAssert.Problem(talentDelete, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, adminDelete.StatusCode);
        await ApiAssert.Problem(await admin.GetAsync($"/api/events/{toCancel}"), HttpStatusCode.NotFound);

        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityType=event&entityId={toCancel}"), HttpStatusCode.OK);
        Assert.Equal(["deleted", "cancelled", "scheduled"], audit.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        var completeAudit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={toComplete}"), HttpStatusCode.OK);
        Assert.Equal(["completed", "scheduled"], completeAudit.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }
}
