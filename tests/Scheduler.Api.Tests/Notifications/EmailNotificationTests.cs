using Scheduler.Api.Tests.Events;
using Scheduler.Users;
using static Scheduler.Api.Tests.Notifications.EmailAssert;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Notifications;

[Collection(EmailCollection.Name)]
public sealed class EmailNotificationTests(EmailFactory factory)
{
    private const string Candidate = "casey@example.com";

    [Fact]
    public async Task Booking_SendsAnInvitationToCandidateAndInterviewer_WithMethodRequestAndSequenceZero()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var (eventId, interviewerEmail) = await BookOne(client, EventsApi.Monday.AddHours(10));

        var invitations = await factory.Smtp.WaitFor(About(eventId), messages => messages.Count >= 2);

        Assert.Equal(2, invitations.Count);
        Assert.Equal(new[] { Candidate, interviewerEmail }.Order(StringComparer.Ordinal), invitations.Select(To).Order(StringComparer.Ordinal));
        foreach (var message in invitations)
        {
            var calendar = Invitation(message, "REQUEST");
            var vevent = Assert.Single(calendar.Events);
            Assert.Equal(0, vevent.Sequence);
            Assert.Equal($"{eventId}@scheduler", vevent.Uid);
            Assert.Equal("CONFIRMED", vevent.Status);
            Assert.Equal(EmailFactory.From, message.From.Mailboxes.Single().Address);
            Assert.NotNull(message.TextBody);
            Assert.NotNull(message.HtmlBody);
        }
    }

    [Fact]
    public async Task Reschedule_SendsARequestWithSequenceOne_AndCancelSendsMethodCancelWithTheSameUid()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var start = EventsApi.Monday.AddHours(12);
        var (eventId, _) = await BookOne(client, start);
        await factory.Smtp.WaitFor(About(eventId), messages => messages.Count >= 2);

        var booking = await client.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}");
        var moved = EventsApi.Booking(booking.GetProperty("interviewerId").GetString()!, start.AddHours(2), candidate: Candidate);
        await UpdateFirstVersion(client, eventId, moved);
        var updates = await factory.Smtp.WaitFor(About(eventId), messages => messages.Count(m => Kind(m, "update")) >= 2);
        foreach (var update in updates.Where(m => Kind(m, "update")))
        {
            var vevent = Assert.Single(Invitation(update, "REQUEST").Events);
            Assert.Equal(1, vevent.Sequence);
            Assert.Equal(start.AddHours(2), vevent.DtStart!.AsUtc);
        }

        var cancel = await client.PostAsJsonAsync($"/api/events/{eventId}/cancel", new { reason = "position filled" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var all = await factory.Smtp.WaitFor(About(eventId), messages => messages.Count(m => Kind(m, "cancellation")) >= 2);
        foreach (var cancellation in all.Where(m => Kind(m, "cancellation")))
        {
            var vevent = Assert.Single(Invitation(cancellation, "CANCEL").Events);
            Assert.Equal($"{eventId}@scheduler", vevent.Uid);
            Assert.Equal("CANCELLED", vevent.Status);
            Assert.Equal(2, vevent.Sequence);
        }
        // Every message about it: invitation, update and cancellation, two of each, none twice.
        Assert.Equal(6, all.Count(m => CalendarPart(m) is not null));
        Assert.Equal(all.Count, all.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task MoveToAnotherInterviewer_CancelsWithTheOldOne_InvitesTheNewOne_AndUpdatesTheCandidate()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var start = EventsApi.Monday.AddHours(15);
        var (eventId, oldEmail) = await BookOne(client, start);
        await factory.Smtp.WaitFor(About(eventId), messages => messages.Count >= 2);
        var newEmail = $"interviewer.{Guid.NewGuid():N}@example.com";
        var newInterviewer = await EventsApi.NewInterviewer(client, new { email = newEmail });

        await UpdateFirstVersion(client, eventId, EventsApi.Booking(newInterviewer, start, candidate: Candidate));
        var all = await factory.Smtp.WaitFor(About(eventId), messages => messages.Count >= 5);

        var afterMove = all.Where(m => Kind(m, "cancellation") || Kind(m, "update") || (Kind(m, "invitation") && To(m) == newEmail)).ToList();
        Assert.Equal([oldEmail], afterMove.Where(m => Kind(m, "cancellation")).Select(To));
        Assert.Equal($"{eventId}@scheduler", Assert.Single(Invitation(afterMove.Single(m => Kind(m, "cancellation")), "CANCEL").Events).Uid);
        Assert.Equal([newEmail], afterMove.Where(m => Kind(m, "invitation")).Select(To));
        Assert.Equal([Candidate], afterMove.Where(m => Kind(m, "update")).Select(To));
        Assert.Equal(5, all.Count);
    }

    [Fact]
    public async Task CandidateEmailCorrected_InvitesTheNewAddress_CancelsWithTheOld_AndMovesTheReminders()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var start = EventsApi.Monday.AddHours(16);
        var interviewerEmail = $"interviewer.{Guid.NewGuid():N}@example.com";
        var interviewerId = await EventsApi.NewInterviewer(client, new { email = interviewerEmail });
        var eventId = await EventsApi.Book(client, EventsApi.Booking(interviewerId, start, candidate: Candidate));
        await factory.Smtp.WaitFor(About(eventId), messages => messages.Count >= 2);
        var corrected = $"casey.{Guid.NewGuid():N}@example.com";

        await UpdateFirstVersion(client, eventId, EventsApi.Booking(interviewerId, start, candidate: corrected));
        var all = await factory.Smtp.WaitFor(About(eventId), messages => messages.Count >= 5);

        Assert.Equal([Candidate], all.Where(m => Kind(m, "cancellation")).Select(To));
        Assert.Equal($"{eventId}@scheduler", Assert.Single(Invitation(all.Single(m => Kind(m, "cancellation")), "CANCEL").Events).Uid);
        Assert.Contains(corrected, all.Where(m => Kind(m, "invitation")).Select(To));
        Assert.Equal([interviewerEmail], all.Where(m => Kind(m, "update")).Select(To));
        Assert.Equal(5, all.Count);
        // The reminders still waiting go to the new address, none to the old one.
        var waiting = await WaitForStatus(client, eventId, "queued", 4);
        Assert.DoesNotContain(waiting, n => n.GetProperty("recipient").GetString() == Candidate);
        Assert.Equal(2, waiting.Count(n => n.GetProperty("recipient").GetString() == corrected));
    }

    [Fact]
    public async Task CandidateNameWithLineBreaksAndHtml_InjectsNoHeaderAndNoMarkup()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var interviewerId = await EventsApi.NewInterviewer(client);
        var booking = new
        {
            interviewerId,
            title = "Chat\r\nBcc: victim@example.com",
            candidateName = "Eve\r\nBcc: victim@example.com <script>alert(1)</script>",
            candidateEmail = Candidate,
            startsAt = Iso(EventsApi.Monday.AddHours(14)),
            endsAt = Iso(EventsApi.Monday.AddHours(15)),
        };
        // Line breaks are text a name or title may hold (the API keeps them); they must never reach a header.
        var eventId = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", booking), HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var messages = await factory.Smtp.WaitFor(About(eventId), found => found.Count >= 2);
        foreach (var message in messages)
        {
            Assert.Empty(message.Bcc);
            Assert.Single(message.To.Mailboxes);
            Assert.DoesNotContain(message.Headers, header => header.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain('\n', message.Subject ?? "");
            Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", message.HtmlBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SmtpServerDown_EveryMessageIsDeliveredOnceAfterItReturns()
    {
        var client = await factory.ClientAs(Roles.Admin);
        factory.Smtp.Stop();
        string eventId;
        try
        {
            (eventId, _) = await BookOne(client, EventsApi.Monday.AddHours(16));
            await WaitForStatus(client, eventId, "failed", 2);
        }
        finally
        {
            factory.Smtp.Start();
        }
        // Past the backoff, the retries come due. (The clock goes back after: tokens issued meanwhile would not be valid yet.)
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        IReadOnlyList<MimeKit.MimeMessage> delivered;
        try
        {
            delivered = await factory.Smtp.WaitFor(About(eventId), messages => messages.Count >= 2);
            await WaitForStatus(client, eventId, "sent", 2);
        }
        finally
        {
            factory.Clock.Reset();
        }
        Assert.Equal(2, delivered.Count);
        Assert.Equal(2, factory.Smtp.Messages().Count(About(eventId)));
    }

    [Fact]
    public async Task Notifications_ListedForAdmins_WithTheirStatus_AndRefusedToOtherRoles()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (eventId, _) = await BookOne(admin, EventsApi.Monday.AddHours(9));
        await WaitForStatus(admin, eventId, "sent", 2);

        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications?eventId={eventId}&status=queued");
        // The reminders wait (1440 and 60 minutes before, for both): four queued.
        Assert.Equal(4, page.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.All(page.GetProperty("data").EnumerateArray(), item => Assert.Equal("reminder", item.GetProperty("kind").GetString()));

        var byRecipient = await admin.GetFromJsonAsync<JsonElement>($"/api/notifications?eventId={eventId}&recipient={Uri.EscapeDataString(Candidate.ToUpperInvariant())}");
        Assert.Equal(3, byRecipient.GetProperty("pagination").GetProperty("total").GetInt64());

        var talent = await factory.ClientAs(Roles.Talent);
        var refused = await talent.GetAsync("/api/notifications");
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{refused.StatusCode}: {await refused.Content.ReadAsStringAsync()}");
        var bad = await admin.GetAsync("/api/notifications?status=lost");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Retry_OfAMessageThatWasSent_IsAConflict_AndOfAnUnknownOneNotFound()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (eventId, _) = await BookOne(admin, EventsApi.Monday.AddHours(11));
        var sent = await WaitForStatus(admin, eventId, "sent", 2);

        var retry = await admin.PostAsync($"/api/notifications/{sent[0].GetProperty("id").GetString()}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal("notification_not_failed", (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/notifications/{Guid.NewGuid():N}/retry", null)).StatusCode);
    }

    private static bool Kind(MimeKit.MimeMessage message, string kind) => message.MessageId?.Contains($".{kind}.", StringComparison.Ordinal) == true;

    internal static async Task<List<JsonElement>> WaitForStatus(HttpClient client, string eventId, string status, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/notifications?eventId={eventId}&status={status}");
            var items = page.GetProperty("data").EnumerateArray().ToList();
            if (items.Count >= count)
            {
                return items;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{items.Count} notifications of {eventId} are {status}, not {count}.");
            }
            await Task.Delay(50);
        }
    }

    // PUT of the booking's first version (If-Match "1"), which must succeed.
    private static async Task UpdateFirstVersion(HttpClient client, string eventId, object booking)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/events/{eventId}") { Content = JsonContent.Create(booking) };
        put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(put)).StatusCode);
    }

    private async Task<(string EventId, string InterviewerEmail)> BookOne(HttpClient client, DateTime start)
    {
        var interviewerEmail = $"interviewer.{Guid.NewGuid():N}@example.com";
        var interviewerId = await EventsApi.NewInterviewer(client, new { email = interviewerEmail });
        var eventId = await EventsApi.Book(client, EventsApi.Booking(interviewerId, start, candidate: Candidate));
        return (eventId, interviewerEmail);
    }
}
