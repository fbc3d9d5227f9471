using Scheduler.Api.Calendars;
using Scheduler.Calendars;

namespace Scheduler.Api.Tests.Calendars;

/// <summary>A linked calendar's URL as the API shows it back: never the part that reads the calendar.</summary>
public sealed class LinkedCalendarUrlTests
{
    [Theory]
    [InlineData("https://calendar.google.com/calendar/ical/ada%40example.com/private-0123456789abcdef/basic.ics", "https://calendar.google.com/…/basic.ics")]
    [InlineData("https://outlook.office365.com/owa/calendar/1a2b3c/4d5e6f7a8b9c/calendar.ics", "https://outlook.office365.com/…/calendar.ics")]
    [InlineData("https://p42-caldav.icloud.com/published/2/MTIzNDU2Nzg5MDEyMzQ1Njc4", "https://p42-caldav.icloud.com/…")]
    [InlineData("https://example.com/team.ics?key=secret#now", "https://example.com/team.ics")]
    [InlineData("http://127.0.0.1:5232/ada/busy/", "http://127.0.0.1:5232/…")]
    public void Redact_Subscription_KeepsNeitherItsPathNorItsQuery(string url, string shown) =>
        Assert.Equal(shown, LinkedCalendarValidation.Redact(LinkedCalendarKinds.Ics, url));

    [Fact]
    public void Redact_CalDavCollection_KeepsItsPath_WithoutTheQuery() =>
        Assert.Equal("https://dav.example.com/calendars/ada/work/",
            LinkedCalendarValidation.Redact(LinkedCalendarKinds.CalDav, "https://dav.example.com/calendars/ada/work/?token=x"));
}
