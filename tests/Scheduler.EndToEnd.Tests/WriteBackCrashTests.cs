using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Scheduler.EndToEnd.Tests;

/// <summary>
/// Write-back under kill -9, against a real CalDAV server (Radicale): a push is durable from the booking's
/// acknowledgement on, and a push repeated after a crash lands on the same resource, so each interview is on the
/// calendar exactly once after the restart.
/// </summary>
public sealed class WriteBackCrashTests
{
    [Fact]
    public async Task KillNine_BetweenTheBookingAndThePush_EachInterviewIsOnTheCalendarOnceAfterTheRestart()
    {
        using var data = new TempDirectory();
        using var radicale = new RadicaleServer();
        var calendarUrl = await radicale.CreateCalendar("crash");
        string[] booked;
        // The first process queues pushes but never sends them: it dies holding them.
        await using (var service = SchedulerProcess.Start(data.Path, Settings(enabled: false)))
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            booked = await Book(client, radicale, calendarUrl, 3);
            await service.Kill();
        }
        Assert.Empty(await radicale.Resources(calendarUrl));

        await using (var restarted = SchedulerProcess.Start(data.Path, Settings(enabled: true)))
        {
            await restarted.WaitUntilHealthy();
            await UntilEachOnce(radicale, calendarUrl, booked);
            await restarted.Kill();
        }

        // Killed after the PUT, before recording it: the pushes pending again and no entity tag (what the database
        // holds then). Sent again, they meet their own resources (412), re-read the tag and replace them.
        MarkPending(Path.Combine(data.Path, "scheduler.db"));
        await using var again = SchedulerProcess.Start(data.Path, Settings(enabled: true));
        await again.WaitUntilHealthy();
        await UntilDone(Path.Combine(data.Path, "scheduler.db"));
        await UntilEachOnce(radicale, calendarUrl, booked);
        Assert.DoesNotContain(radicale.Password, again.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(bool enabled) => new()
    {
        ["Outbound__AllowPrivateNetworks"] = "true",
        ["CalendarPush__Enabled"] = enabled ? "true" : "false",
        ["CalendarPush__PollSeconds"] = "0.2",
        ["Email__PollSeconds"] = "0.2",
        ["CalendarSync__IntervalMinutes"] = "600",
    };

    private static async Task<string[]> Book(HttpClient client, RadicaleServer radicale, string calendarUrl, int count)
    {
        var interviewerId = await EmailKit.NewInterviewer(client);
        var linked = await client.PostAsJsonAsync($"/api/interviewers/{interviewerId}/calendars",
            new { kind = "caldav", url = calendarUrl, username = radicale.User, password = radicale.Password, writeBack = true });
        Assert.Equal(HttpStatusCode.Created, linked.StatusCode);
        return await EmailKit.Book(interviewerId, count, _ => client);
    }

    private static async Task UntilEachOnce(RadicaleServer radicale, string calendarUrl, string[] booked)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<string> resources;
        while ((resources = await radicale.Resources(calendarUrl)).Count < booked.Length)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{resources.Count} of {booked.Length} interviews on the calendar after 60 s.");
            await Task.Delay(100);
        }
        Assert.Equal(booked.Length, resources.Count);
        foreach (var id in booked)
        {
            var (status, body) = await radicale.Get(calendarUrl + Uri.EscapeDataString($"{id}@scheduler") + ".ics");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(1, body.Split("BEGIN:VEVENT").Length - 1);
            Assert.Contains($"UID:{id}@scheduler", body, StringComparison.Ordinal);
        }
    }

    private static void MarkPending(string file)
    {
        using var connection = Open(file);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE calendar_pushes SET status = 'pending', etag = NULL";
        Assert.Equal(3, command.ExecuteNonQuery());
    }

    private static async Task UntilDone(string file)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using (var connection = Open(file))
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM calendar_pushes WHERE status = 'pending'";
                if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
                {
                    return;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "The repeated pushes were not done within 60 s.");
            await Task.Delay(100);
        }
    }

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }
}
