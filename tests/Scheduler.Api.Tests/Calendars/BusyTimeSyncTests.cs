using Scheduler.Api.Tests.Events;
using Scheduler.Users;
using static Scheduler.Api.Tests.Calendars.CalendarFixtures;

namespace Scheduler.Api.Tests.Calendars;

[Collection(CalendarSyncCollection.Name)]
public sealed class BusyTimeSyncTests(CalendarSyncFactory factory)
{
    private static readonly DateTime FirstMonday = EventsApi.Monday;

    [Fact]
    public async Task CalDavSync_WeeklyBerlinMeetingAcrossDst_BlocksEachInstanceAtItsLocalTime_WithExdateAndMovedInstance()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var url = await factory.Radicale.CreateCalendar("weekly-" + interviewerId);
        const int Weeks = 40; // more than half a year: at least one DST change, whatever the season
        var excluded = FirstMonday.AddDays(14);
        var moved = FirstMonday.AddDays(21);
        await factory.Radicale.Put(url, "weekly.ics", Calendar(BerlinZone,
            Event("weekly-sync", $"DTSTART;TZID=Europe/Berlin:{Local(FirstMonday, 10)}", $"DTEND;TZID=Europe/Berlin:{Local(FirstMonday, 11)}",
                $"RRULE:FREQ=WEEKLY;COUNT={Weeks}\nEXDATE;TZID=Europe/Berlin:{Local(excluded, 10)}"),
            Event("weekly-sync", $"DTSTART;TZID=Europe/Berlin:{Local(moved, 14)}", $"DTEND;TZID=Europe/Berlin:{Local(moved, 15)}",
                $"RECURRENCE-ID;TZID=Europe/Berlin:{Local(moved, 10)}")));
        var linked = await Link(client, interviewerId, new { kind = "caldav", url, username = factory.Radicale.User, password = factory.Radicale.Password });

        var synced = await SyncNow(client, interviewerId, linked.GetProperty("id").GetString()!);

        Assert.Equal(JsonValueKind.Null, synced.GetProperty("lastError").ValueKind);
        Assert.Equal(Weeks - 1, synced.GetProperty("busyCount").GetInt32());
        var offsets = new HashSet<TimeSpan>();
        for (var week = 0; week < Weeks; week++)
        {
            var day = FirstMonday.AddDays(7 * week);
            var free = await FreeHours(client, interviewerId, day);
            var ten = BerlinUtc(day, 10);
            offsets.Add(Berlin.GetUtcOffset(ten));
            if (day == excluded)
            {
                Assert.Contains(ten, free);
            }
            else if (day == moved)
            {
                Assert.Contains(ten, free);
                Assert.DoesNotContain(BerlinUtc(day, 14), free);
            }
            else
            {
                Assert.DoesNotContain(ten, free);
                Assert.Contains(ten.AddHours(1), free);
                Assert.Contains(ten.AddHours(-1), free);
            }
        }
        Assert.Equal(2, offsets.Count);
    }

    [Fact]
    public async Task CalDavSync_AllDayEvent_BlocksTheInterviewersWholeLocalDay()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var url = await factory.Radicale.CreateCalendar("allday-" + interviewerId);
        var day = FirstMonday.AddDays(2);
        await factory.Radicale.Put(url, "offsite.ics", Calendar(
            Event("offsite", $"DTSTART;VALUE=DATE:{day:yyyyMMdd}", $"DTEND;VALUE=DATE:{day.AddDays(1):yyyyMMdd}")));
        var linked = await Link(client, interviewerId, new { kind = "caldav", url, username = factory.Radicale.User, password = factory.Radicale.Password });

        await SyncNow(client, interviewerId, linked.GetProperty("id").GetString()!);

        var localMidnight = BerlinUtc(day, 0);
        var free = await FreeHours(client, interviewerId, localMidnight.AddHours(-2), hours: 28);
        Assert.Contains(localMidnight.AddHours(-1), free);
        Assert.DoesNotContain(free, t => t >= localMidnight && t < localMidnight.AddDays(1));
        Assert.Contains(localMidnight.AddDays(1), free);
    }

    [Fact]
    public async Task CalDavSync_TransparentCancelledAndOwnEvents_DoNotBlock()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var url = await factory.Radicale.CreateCalendar("free-" + interviewerId);
        var day = FirstMonday.AddDays(1);
        await factory.Radicale.Put(url, "transparent.ics", Calendar(BerlinZone,
            Event("transparent", $"DTSTART;TZID=Europe/Berlin:{Local(day, 9)}", $"DTEND;TZID=Europe/Berlin:{Local(day, 10)}", "TRANSP:TRANSPARENT")));
        await factory.Radicale.Put(url, "cancelled.ics", Calendar(BerlinZone,
            Event("cancelled", $"DTSTART;TZID=Europe/Berlin:{Local(day, 11)}", $"DTEND;TZID=Europe/Berlin:{Local(day, 12)}", "STATUS:CANCELLED")));
        await factory.Radicale.Put(url, "ours.ics", Calendar(BerlinZone,
            Event("0123456789abcdef0123456789abcdef@scheduler", $"DTSTART;TZID=Europe/Berlin:{Local(day, 13)}", $"DTEND;TZID=Europe/Berlin:{Local(day, 14)}")));
        await factory.Radicale.Put(url, "busy.ics", Calendar(BerlinZone,
            Event("busy", $"DTSTART;TZID=Europe/Berlin:{Local(day, 15)}", $"DTEND;TZID=Europe/Berlin:{Local(day, 16)}")));
        var linked = await Link(client, interviewerId, new { kind = "caldav", url, username = factory.Radicale.User, password = factory.Radicale.Password });

        var synced = await SyncNow(client, interviewerId, linked.GetProperty("id").GetString()!);

        Assert.Equal(1, synced.GetProperty("busyCount").GetInt32());
        var free = await FreeHours(client, interviewerId, day);
        Assert.Contains(BerlinUtc(day, 9), free);
        Assert.Contains(BerlinUtc(day, 11), free);
        Assert.Contains(BerlinUtc(day, 13), free);
        Assert.DoesNotContain(BerlinUtc(day, 15), free);
    }

    [Fact]
    public async Task Booking_OverBusyTime_Returns409CalendarBusyWithOnlyTheInterval_AndStaffMayBookAnywayAudited()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var url = await factory.Radicale.CreateCalendar("book-" + interviewerId);
        var day = FirstMonday.AddDays(3);
        await factory.Radicale.Put(url, "dentist.ics", Calendar(BerlinZone,
            Event("dentist", $"DTSTART;TZID=Europe/Berlin:{Local(day, 10)}", $"DTEND;TZID=Europe/Berlin:{Local(day, 11)}", "LOCATION:Dentist Dr. Secret")));
        var linked = await Link(client, interviewerId, new { kind = "caldav", url, username = factory.Radicale.User, password = factory.Radicale.Password });
        await SyncNow(client, interviewerId, linked.GetProperty("id").GetString()!);

        var refused = await client.PostAsJsonAsync("/api/events", EventsApi.Booking(interviewerId, BerlinUtc(day, 10).AddMinutes(30)));

        var problem = await ApiAssert.Problem(refused, HttpStatusCode.Conflict);
        Assert.Equal("calendar_busy", problem.GetProperty("code").GetString());
        Assert.Equal(BerlinUtc(day, 10), problem.GetProperty("busyStartsAt").GetDateTime().ToUniversalTime());
        Assert.Equal(BerlinUtc(day, 11), problem.GetProperty("busyEndsAt").GetDateTime().ToUniversalTime());
        Assert.DoesNotContain("Dentist", problem.GetRawText(), StringComparison.Ordinal);

        var forced = await client.PostAsJsonAsync("/api/events?ignoreCalendarBusy=true", EventsApi.Booking(interviewerId, BerlinUtc(day, 10).AddMinutes(30)));
        var booked = await ApiAssert.Json(forced, HttpStatusCode.Created);
        var admin = await factory.ClientAs(Roles.Admin);
        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={booked.GetProperty("id").GetString()}"), HttpStatusCode.OK);
        Assert.Contains("ignoreCalendarBusy", audit.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_CalendarGoneAfterASync_KeepsTheLastBusyBlocks_AndReportsTheErrorAndTheirAge()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var url = await factory.Radicale.CreateCalendar("gone-" + interviewerId);
        var day = FirstMonday.AddDays(4);
        await factory.Radicale.Put(url, "busy.ics", Calendar(BerlinZone,
            Event("busy-gone", $"DTSTART;TZID=Europe/Berlin:{Local(day, 10)}", $"DTEND;TZID=Europe/Berlin:{Local(day, 11)}")));
        var linked = await Link(client, interviewerId, new { kind = "caldav", url, username = factory.Radicale.User, password = factory.Radicale.Password });
        var calendarId = linked.GetProperty("id").GetString()!;
        var first = await SyncNow(client, interviewerId, calendarId);
        await factory.Radicale.Delete(url, "");

        var second = await SyncNow(client, interviewerId, calendarId);

        Assert.Contains("404", second.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, second.GetProperty("busyCount").GetInt32());
        Assert.Equal(first.GetProperty("lastSyncedAt").GetDateTime(), second.GetProperty("lastSyncedAt").GetDateTime());
        Assert.True(second.GetProperty("busyAgeSeconds").GetInt64() >= 0);
        Assert.DoesNotContain(BerlinUtc(day, 10), await FreeHours(client, interviewerId, day));
    }
}
