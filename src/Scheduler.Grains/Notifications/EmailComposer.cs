using System.Globalization;
using Microsoft.Extensions.Options;
using MimeKit;
using Scheduler.Notifications;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// Builds a notification's message: plain text and HTML from the templates and, for invitations, updates and
/// cancellations, the iMIP part (<c>text/calendar; method=…</c>, the same method as the body's METHOD, which Outlook
/// insists on). Times are shown in the recipient's zone. Names and titles never reach a header with a line break.
/// </summary>
public sealed class EmailComposer(EmailTemplates templates, IOptions<EmailOptions> options, TimeProvider time)
{
    public MimeMessage Compose(DueNotification notification, NotificationData data)
    {
        var interview = data.Event;
        var zone = Zone(data.Timezone);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["kind"] = notification.Kind,
            ["recipient_role"] = notification.RecipientRole,
            ["recipient_name"] = data.RecipientName,
            ["title"] = interview.Title,
            ["candidate_name"] = interview.CandidateName,
            ["interviewer_name"] = data.InterviewerName,
            ["starts"] = Local(interview.Slot.StartsAt, zone, "dddd d MMMM yyyy, HH:mm"),
            ["ends"] = Local(interview.Slot.EndsAt, zone, "HH:mm"),
            ["timezone"] = zone.Id,
            ["location"] = interview.Location,
            ["meeting_url"] = interview.MeetingUrl,
            ["notes"] = interview.Notes,
            ["before"] = data.ReminderMinutes is { } minutes ? Before(minutes) : null,
        };

        var settings = options.Value;
        var message = new MimeMessage { MessageId = notification.MessageId, Date = time.GetUtcNow() };
        message.From.Add(new MailboxAddress(OneLine(settings.FromName), settings.From));
        message.To.Add(new MailboxAddress(OneLine(data.RecipientName), notification.Recipient));
        message.Subject = OneLine(templates.Render("subject", values, html: false));

        var body = new MultipartAlternative
        {
            new TextPart("plain") { Text = templates.Render("body.txt", values, html: false) },
            new TextPart("html") { Text = templates.Render("body.html", values, html: true) },
        };
        if (Method(notification.Kind) is { } method)
        {
            var attendees = new[] { (interview.CandidateName, interview.CandidateEmail), (data.InterviewerName, data.InterviewerEmail) };
            var calendar = new TextPart("calendar")
            {
                Text = IcsCalendar.Message(method, interview, notification.Sequence, time.GetUtcNow(), (settings.FromName, settings.From), attendees),
            };
            calendar.ContentType.Parameters.Add("method", method);
            calendar.ContentType.Charset = "utf-8";
            body.Add(calendar);
        }
        message.Body = body;
        return message;
    }

    /// <summary>The iMIP method of a kind of message; null for one without a calendar object (a reminder).</summary>
    public static string? Method(string kind) => kind switch
    {
        NotificationKinds.Invitation or NotificationKinds.Update => IcsCalendar.Request,
        NotificationKinds.Cancellation => IcsCalendar.Cancel,
        _ => null,
    };

    private static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    private static string Local(DateTimeOffset time, TimeZoneInfo zone, string format) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString(format, CultureInfo.InvariantCulture);

    private static string Before(int minutes) => minutes switch
    {
        _ when minutes % 1440 == 0 => minutes == 1440 ? "24 hours" : $"{minutes / 1440} days",
        _ when minutes % 60 == 0 => minutes == 60 ? "1 hour" : $"{minutes / 60} hours",
        _ => $"{minutes} minutes",
    };

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
