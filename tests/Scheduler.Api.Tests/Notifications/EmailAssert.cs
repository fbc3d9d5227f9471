using Ical.Net;
using MimeKit;

namespace Scheduler.Api.Tests.Notifications;

/// <summary>Reading the messages back: MimeKit for the MIME structure, Ical.Net (an independent reader) for the calendar.</summary>
internal static class EmailAssert
{
    /// <summary>The messages about interview <paramref name="eventId"/> (their Message-ID starts with it).</summary>
    public static Func<MimeMessage, bool> About(string eventId) => message => message.MessageId?.StartsWith(eventId + ".", StringComparison.Ordinal) == true;

    public static TextPart? CalendarPart(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().FirstOrDefault(part => part.ContentType.MimeType == "text/calendar");

    /// <summary>The iMIP part: its MIME method must be the body's METHOD; returns the parsed calendar.</summary>
    public static Calendar Invitation(MimeMessage message, string method)
    {
        var part = CalendarPart(message) ?? throw new Xunit.Sdk.XunitException($"Message {message.MessageId} has no text/calendar part.");
        Assert.Equal(method, part.ContentType.Parameters["method"]);
        var calendar = Calendar.Load(part.Text) ?? throw new Xunit.Sdk.XunitException("The calendar part does not parse.");
        Assert.Equal(method, calendar.Method);
        return calendar;
    }

    public static string To(MimeMessage message) => message.To.Mailboxes.Single().Address;
}
