using Scheduler.Api.Tests.Events;
using Scheduler.Users;
using static Scheduler.Api.Tests.Notifications.EmailAssert;
using static Scheduler.Api.Tests.Notifications.EmailNotificationTests;

namespace Scheduler.Api.Tests.Notifications;

/// <summary>Reminders (1440 and 60 minutes before, as the factory sets), driven by the host's manual clock.</summary>
[Collection(EmailCollection.Name)]
public sealed class ReminderTests(EmailFactory factory)
{
    [Fact]
    public async Task Reminders_BothOffsets_AreSentWhenDue_ToBothRecipients_AndNotBefore()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var start = EventsApi.Monday.AddDays(1).AddHours(10);
        var eventId = await BookAt(client, start);
        await WaitForStatus(client, eventId, "sent", 2); // the invitations
        try
        {
            MoveClockTo(start.AddMinutes(-1440).AddMinutes(1));
            var dayBefore = await factory.Smtp.WaitFor(About(eventId), messages => messages.Count(m => IsReminder(m, 1440)) >= 2);
            Assert.Equal(2, dayBefore.Count(m => IsReminder(m, 1440)));
            Assert.DoesNotContain(dayBefore, m => IsReminder(m, 60));
            Assert.All(dayBefore.Where(m => IsReminder(m, 1440)), m => Assert.Null(CalendarPart(m)));

            MoveClockTo(start.AddMinutes(-60).AddMinutes(1));
            var hourBefore = await factory.Smtp.WaitFor(About(eventId), messages => messages.Count(m => IsReminder(m, 60)) >= 2);
            Assert.Equal(2, hourBefore.Count(m => IsReminder(m, 60)));
            Assert.Equal(2, hourBefore.Count(m => IsReminder(m, 1440)));
        }
        finally
        {
            factory.Clock.Reset();
        }
    }

    [Fact]
    public async Task Booking_InsideTheDayBeforeWindow_PlansOnlyTheHourBeforeReminders()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var start = EventsApi.Monday.AddDays(2).AddHours(10);
        try
        {
            MoveClockTo(start.AddHours(-2));
            var eventId = await BookAt(client, start);
            await WaitForStatus(client, eventId, "sent", 2);

            var reminders = await Reminders(client, eventId);
            Assert.Equal(2, reminders.Count);
            Assert.All(reminders, r => Assert.Equal(start.AddMinutes(-60), r.GetProperty("dueAt").GetDateTime()));
        }
        finally
        {
            factory.Clock.Reset();
        }
    }

    [Fact]
    public async Task Reschedule_MovesTheReminders_AndCancelRemovesThem()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var start = EventsApi.Monday.AddDays(3).AddHours(10);
        var eventId = await BookAt(client, start);
        var booked = await Reminders(client, eventId);
        Assert.Equal(4, booked.Count);

        var current = await client.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}");
        var later = start.AddHours(3);
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"/api/events/{eventId}")
        {
            Content = JsonContent.Create(EventsApi.Booking(current.GetProperty("interviewerId").GetString()!, later)),
        })
        {
            put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(put)).StatusCode);
        }
        var moved = await WaitForReminders(client, eventId, r => r.Count == 4 && r.All(x => x.GetProperty("sequence").GetInt64() == 1));
        Assert.Equal(
            new[] { later.AddMinutes(-1440), later.AddMinutes(-1440), later.AddMinutes(-60), later.AddMinutes(-60) },
            moved.Select(r => r.GetProperty("dueAt").GetDateTime()).Order());

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/events/{eventId}/cancel", new { reason = "no longer needed" })).StatusCode);
        await WaitForReminders(client, eventId, r => r.Count == 0);
    }

    private static bool IsReminder(MimeKit.MimeMessage message, int minutes) =>
        message.MessageId?.Contains(".reminder.", StringComparison.Ordinal) == true && message.MessageId.Contains($".{minutes}@", StringComparison.Ordinal);

    private void MoveClockTo(DateTime utc)
    {
        factory.Clock.Reset();
        factory.Clock.Advance(utc - factory.Clock.GetUtcNow().UtcDateTime);
    }

    private static async Task<string> BookAt(HttpClient client, DateTime start)
    {
        var interviewerId = await EventsApi.NewInterviewer(client);
        return await EventsApi.Book(client, EventsApi.Booking(interviewerId, start, candidate: "reminded@example.com"));
    }

    private static async Task<List<JsonElement>> Reminders(HttpClient client, string eventId) =>
        await WaitForReminders(client, eventId, r => r.Count > 0);

    // The reminders still waiting (queued) once the outbox has been dispatched.
    private static async Task<List<JsonElement>> WaitForReminders(HttpClient client, string eventId, Func<List<JsonElement>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/notifications?eventId={eventId}&status=queued&limit=100");
            var reminders = page.GetProperty("data").EnumerateArray().Where(n => n.GetProperty("kind").GetString() == "reminder").ToList();
            if (done(reminders))
            {
                return reminders;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{reminders.Count} reminders of {eventId} are queued.");
            }
            await Task.Delay(50);
        }
    }
}
