using Scheduler.Api.Tests.Events;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Notifications;

/// <summary>Email off, the default: the messages a change implies are recorded as skipped, visible to admins.</summary>
public sealed class EmailOffTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task Booking_WithEmailOff_RecordsItsInvitationsAndRemindersAsSkipped()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var interviewerId = await EventsApi.NewInterviewer(admin);
        var eventId = await EventsApi.Book(admin, EventsApi.Booking(interviewerId, EventsApi.Monday.AddHours(10)));

        var skipped = await EmailNotificationTests.WaitForStatus(admin, eventId, "skipped", 6);

        Assert.Equal(6, skipped.Count);
        Assert.Equal(2, skipped.Count(n => n.GetProperty("kind").GetString() == "invitation"));
        Assert.Equal(4, skipped.Count(n => n.GetProperty("kind").GetString() == "reminder"));
        var all = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications?eventId={eventId}");
        Assert.Equal(6, all.GetProperty("pagination").GetProperty("total").GetInt64());
    }
}
