using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>Two silo processes on PostgreSQL, started once for the class.</summary>
public sealed class TwoSilos : IAsyncLifetime
{
    private readonly ProcessCluster _cluster = new();

    public SchedulerProcess A { get; private set; } = null!;

    public SchedulerProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        A = _cluster.StartSilo();
        await A.WaitUntilHealthy(); // the schema and the admin, before the other starts
        B = _cluster.StartSilo();
        await B.WaitUntilHealthy();
    }

    public Task DisposeAsync() => _cluster.DisposeAsync();
}

/// <summary>
/// Live updates across two real silos with the .NET SignalR client (WebSockets), and the same feed as Server-Sent
/// Events read with a plain HttpClient.
/// </summary>
public sealed class LiveUpdatesClusterTests(TwoSilos silos) : IClassFixture<TwoSilos>
{
    [Fact]
    public async Task Booking_ThroughSiloA_ReachesAListenerOnSiloB_WithinOneSecond()
    {
        using var admin = await silos.A.AdminClient();
        var interviewer = await LiveKit.NewInterviewer(admin);
        await using var listener = await LiveListener.Connect([silos.B.BaseAddress], () => Task.FromResult<string?>(LiveKit.Token(admin)));
        // Once a first change has come through, silo A knows that silo B listens.
        var warmUp = await LiveKit.Book(admin, interviewer);
        await listener.WaitFor(m => LiveKit.About(m, warmUp), TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        var booked = await LiveKit.Book(admin, interviewer);
        var message = await listener.WaitFor(m => LiveKit.About(m, booked), TimeSpan.FromSeconds(1) - clock.Elapsed);

        Assert.Equal("event", message.GetProperty("entityType").GetString());
        Assert.Equal("scheduled", message.GetProperty("action").GetString());
        Assert.Equal(1, message.GetProperty("version").GetInt64());
        Assert.True(message.TryGetProperty("at", out _));
    }

    [Fact]
    public async Task InterviewerUser_HearsOfItsOwnInterviews_AndNothingOfAnotherInterviewers()
    {
        using var admin = await silos.A.AdminClient();
        var own = await LiveKit.NewInterviewer(admin, "Own");
        var other = await LiveKit.NewInterviewer(admin, "Other");
        var (_, user, _) = await LiveKit.InterviewerUser(admin, silos.B.BaseAddress, own);
        using var _ = user;
        await using var listener = await LiveListener.Connect([silos.B.BaseAddress], () => Task.FromResult<string?>(LiveKit.Token(user)));

        var othersInterview = await LiveKit.Book(admin, other);
        var othersProfile = await admin.PutAsJsonAsync($"/api/interviewers/{other}", new { name = "Other Renamed", email = $"other.{Guid.NewGuid():N}@example.com", timezone = "UTC" });
        Assert.Equal(HttpStatusCode.OK, othersProfile.StatusCode);
        var ownInterview = await LiveKit.Book(admin, own);

        // Positions are in commit order: what was committed before it would have come first.
        await listener.WaitFor(m => LiveKit.About(m, ownInterview), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(listener.Heard, m => LiveKit.About(m, othersInterview) || LiveKit.About(m, other));
    }

    [Fact]
    public async Task Hub_WithoutOrWithAnInvalidToken_IsRefused_AndTheQueryTokenCountsOnlyThere()
    {
        using var admin = await silos.A.AdminClient();
        var token = LiveKit.Token(admin);
        using var anonymous = new HttpClient { BaseAddress = silos.B.BaseAddress };

        var none = await anonymous.PostAsync("/hubs/scheduler/negotiate?negotiateVersion=1", null);
        var invalid = await anonymous.PostAsync("/hubs/scheduler/negotiate?negotiateVersion=1&access_token=not.a.token", null);
        var valid = await anonymous.PostAsync($"/hubs/scheduler/negotiate?negotiateVersion=1&access_token={token}", null);
        var elsewhere = await anonymous.GetAsync($"/api/interviewers?access_token={token}");
        var client = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() =>
            LiveListener.Connect([silos.B.BaseAddress], () => Task.FromResult<string?>("not.a.token"), reconnect: false));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        Assert.Contains("401", client.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, silos.A.Output + silos.B.Output);
    }

    [Fact]
    public async Task EventStream_ResumesAfterLastEventId_OnTheOtherSilo()
    {
        using var admin = await silos.A.AdminClient();
        var interviewer = await LiveKit.NewInterviewer(admin);
        using var sse = new HttpClient { BaseAddress = silos.B.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        sse.UseBearer(LiveKit.Token(admin));
        await using var hub = await LiveListener.Connect([silos.B.BaseAddress], () => Task.FromResult<string?>(LiveKit.Token(admin)));
        var first = await LiveKit.Book(admin, interviewer);
        var from = LiveKit.Position(await hub.WaitFor(m => LiveKit.About(m, first), TimeSpan.FromSeconds(30)));

        var second = await LiveKit.Book(admin, interviewer);
        var third = await LiveKit.Book(admin, interviewer);
        await hub.WaitFor(m => LiveKit.About(m, third), TimeSpan.FromSeconds(30));
        var seen = await ReadUntil(sse, LiveKit.Text(from - 1), e => e.Data.Contains(first, StringComparison.Ordinal));
        var resumed = await ReadUntil(sse, seen[^1].Id, e => e.Data.Contains(third, StringComparison.Ordinal));

        Assert.Equal("changed", seen[^1].Event);
        Assert.Contains(resumed, e => e.Data.Contains(second, StringComparison.Ordinal));
        Assert.All(resumed, e => Assert.True(long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(seen[^1].Id!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task EventStream_FromAnUnknownPosition_StartsWithResync_AndWithoutATokenIs401()
    {
        using var admin = await silos.A.AdminClient();
        using var sse = new HttpClient { BaseAddress = silos.A.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        sse.UseBearer(LiveKit.Token(admin));
        using var anonymous = new HttpClient { BaseAddress = silos.A.BaseAddress };

        var events = await ReadUntil(sse, "900000000000", _ => true);
        var refused = await anonymous.GetAsync("/api/stream");

        Assert.Equal("resync", events[0].Event);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private sealed record Sse(string? Id, string? Event, string Data);

    // Reads GET /api/stream until an event matches (10 s at most); returns the events read.
    private static async Task<List<Sse>> ReadUntil(HttpClient client, string? lastEventId, Func<Sse, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token), Encoding.UTF8);
        var events = new List<Sse>();
        string? id = null, type = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                var item = new Sse(id, type, data.ToString());
                events.Add(item);
                if (match(item))
                {
                    return events;
                }
                (id, type) = (null, null);
                data.Clear();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }
        throw new InvalidOperationException("The stream ended.");
    }
}
