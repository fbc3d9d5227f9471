using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Grains.Calendars;
using Scheduler.Users;
using static Scheduler.Api.Tests.Calendars.CalendarFixtures;

namespace Scheduler.Api.Tests.Calendars;

/// <summary>One silo of a PostgreSQL cluster with background sync polling fast.</summary>
public sealed class ClusterSyncFactory(string connectionString) : SchedulerApiFactory
{
    protected override void ConfigureStorage(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "PostgreSql");
        builder.UseSetting("ConnectionStrings:Scheduler", connectionString);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Outbound:AllowPrivateNetworks", "true");
        builder.UseSetting("CalendarSync:PollSeconds", "0.05");
        builder.UseSetting("CalendarSync:IntervalMinutes", "600");
    }

    public long Rounds => Services.GetRequiredService<CalendarSyncWorker>().Rounds;
}

public sealed class CalendarSyncClusterTests
{
    [Fact]
    public async Task TwoSilosPollingOneCalendar_SyncItOnce()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var feed = new CountingIcsServer(Calendar(Event("cluster-busy", "DTSTART:20990101T100000Z", "DTEND:20990101T110000Z")));
        await using var first = new ClusterSyncFactory(database.ConnectionString);
        await ((IAsyncLifetime)first).InitializeAsync();
        await using var second = new ClusterSyncFactory(database.ConnectionString);
        await ((IAsyncLifetime)second).InitializeAsync();
        var client = await first.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);

        var linked = await Link(client, interviewerId, new { kind = "ics", url = feed.Url });
        await Until(async () => (await client.GetFromJsonAsync<JsonElement>($"/api/interviewers/{interviewerId}/calendars/{linked.GetProperty("id").GetString()}"))
            .GetProperty("lastSyncedAt").ValueKind != JsonValueKind.Null);
        var (firstRounds, secondRounds) = (first.Rounds, second.Rounds);
        // Both silos have looked for due calendars several times since: neither may fetch it again.
        await Until(() => Task.FromResult(first.Rounds >= firstRounds + 5 && second.Rounds >= secondRounds + 5));

        Assert.Equal(1, feed.Requests);
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            await Task.Delay(20);
        }
    }
}

/// <summary>An ICS subscription on a loopback port that counts the requests it serves.</summary>
public sealed class CountingIcsServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private int _requests;

    public CountingIcsServer(string ics)
    {
        var port = Loopback.FreePort();
        Url = $"http://127.0.0.1:{port}/feed.ics";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        var body = System.Text.Encoding.UTF8.GetBytes(ics.ReplaceLineEndings("\r\n"));
        _serving = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }
                catch (HttpListenerException)
                {
                    return;
                }
                if (Interlocked.Increment(ref _requests) <= FailFirst)
                {
                    context.Response.StatusCode = 503;
                    context.Response.Close();
                    continue;
                }
                context.Response.ContentType = "text/calendar";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>How many requests, from the first, are answered 503 (a server briefly unavailable).</summary>
    public int FailFirst { get; set; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
        _listener.Close();
    }
}
