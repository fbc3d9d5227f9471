using System.Collections.Concurrent;
using System.Globalization;

namespace Scheduler.EndToEnd.Tests;

public sealed class BookingCrashTests
{
    private sealed record Snapshot(string InterviewerId, string StartsAt, string Status);

    /// <summary>Per event: the last acknowledged state, and the change in flight when the process died (either may be what survives).</summary>
    private sealed class Track
    {
        public Snapshot? Acknowledged { get; set; }

        public Snapshot? InFlight { get; set; }
    }

    [Fact]
    public async Task KillNine_WhileBookingsAreInFlight_NoAcknowledgedBookingLost_NoHalfBookedState()
    {
        using var data = new TempDirectory();
        var tracks = new ConcurrentDictionary<string, Track>();
        var interviewers = new List<string>();
        var day = DateTime.UtcNow.Date.AddDays(10);
        var acknowledged = 0;
        var killed = 0;
        var serverErrorsBeforeKill = new ConcurrentBag<string>();
        // Bookings sent with an Idempotency-Key that got no answer: the client would send them again.
        var unanswered = new ConcurrentBag<(string Key, object Body)>();
        await using (var service = SchedulerProcess.Start(data.Path))
        {
            await service.WaitUntilHealthy();
            using var client = await service.AdminClient();
            for (var i = 0; i < 4; i++)
            {
                var created = await client.PostAsJsonAsync("/api/interviewers", new { name = $"Crash {i}", email = $"crash{i}.{Guid.NewGuid():N}@example.com", bufferMinutes = 5 });
                interviewers.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }

            async Task Worker(int seed)
            {
                var random = new Random(seed);
                var mine = new List<string>();
                for (var step = 0; step < 400; step++)
                {
                    var interviewer = interviewers[random.Next(interviewers.Count)];
                    var start = day.AddMinutes(15 * random.Next(0, 60));
                    var startText = TestTime.Iso(start);
                    var body = new { interviewerId = interviewer, title = "Crash", candidateName = "C", candidateEmail = "c@example.com", startsAt = startText, endsAt = TestTime.Iso(start.AddMinutes(30)) };
                    var target = mine.Count > 0 && random.Next(2) == 0 ? mine[random.Next(mine.Count)] : null;
                    var cancel = target is not null && random.Next(3) == 0;
                    Track track;
                    string? key = null;
                    if (target is null)
                    {
                        key = Guid.NewGuid().ToString("N");
                        track = new Track { InFlight = new Snapshot(interviewer, startText, "scheduled") };
                    }
                    else
                    {
                        track = tracks[target];
                        if (track.Acknowledged?.Status != "scheduled")
                        {
                            continue;
                        }
                        track.InFlight = cancel ? track.Acknowledged with { Status = "cancelled" } : new Snapshot(interviewer, startText, "scheduled");
                    }
                    try
                    {
                        HttpResponseMessage response;
                        if (target is null)
                        {
                            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(body) };
                            request.Headers.Add("Idempotency-Key", key);
                            response = await client.SendAsync(request);
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                target = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                                tracks[target] = track;
                                mine.Add(target);
                            }
                        }
                        else
                        {
                            response = cancel
                                ? await client.PostAsJsonAsync($"/api/events/{target}/cancel", new { reason = "crash test" })
                                : await client.PutAsJsonAsync($"/api/events/{target}", body);
                        }
                        if (response.IsSuccessStatusCode)
                        {
                            track.Acknowledged = track.InFlight;
                            Interlocked.Increment(ref acknowledged);
                        }
                        else if ((int)response.StatusCode >= 500 && Volatile.Read(ref killed) == 0)
                        {
                            // A refusal (409, 400) is an answer; a server error before the kill is a defect.
                            serverErrorsBeforeKill.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }
                        track.InFlight = null; // answered: refused changes did not happen
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // The process is gone; the in-flight change may or may not have happened.
                        if (target is null)
                        {
                            unanswered.Add((key!, body));
                        }
                        return;
                    }
                }
            }

            var workers = Enumerable.Range(0, 6).Select(n => Task.Run(() => Worker(n))).ToArray();
            while (Volatile.Read(ref acknowledged) < 60 && !workers.All(w => w.IsCompleted))
            {
                await Task.Delay(10);
            }
            Volatile.Write(ref killed, 1);
            await service.Kill();
            await Task.WhenAll(workers);
        }
        Assert.True(serverErrorsBeforeKill.IsEmpty, string.Join("\n", serverErrorsBeforeKill.Take(5)));
        Assert.True(acknowledged >= 60, "the load should have been acknowledged before the kill");

        await using var restarted = SchedulerProcess.Start(data.Path);
        await restarted.WaitUntilHealthy();
        using var again = await restarted.AdminClient();

        // The retries of the unanswered bookings: each books once (now, or the booking stored before the kill, as sent),
        // or is refused because its slot was taken meanwhile; a half-stored booking would answer otherwise.
        foreach (var (key, body) in unanswered)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            using var retried = await again.SendAsync(request);
            var answer = await retried.Content.ReadFromJsonAsync<JsonElement>();
            if (retried.StatusCode == HttpStatusCode.Created)
            {
                var id = answer.GetProperty("id").GetString()!;
                var sent = JsonSerializer.SerializeToElement(body);
                var booked = new Snapshot(sent.GetProperty("interviewerId").GetString()!, sent.GetProperty("startsAt").GetString()!, "scheduled");
                Assert.Equal(booked, new Snapshot(answer.GetProperty("interviewerId").GetString()!, answer.GetProperty("startsAt").GetString()!,
                    answer.GetProperty("status").GetString()!));
                Assert.True(tracks.TryAdd(id, new Track { Acknowledged = booked }), $"the retry of key {key} answered with another request's event {id}");
            }
            else
            {
                Assert.True(retried.StatusCode == HttpStatusCode.Conflict && answer.GetProperty("code").GetString() == "slot_conflict",
                    $"the retry of key {key} answered {(int)retried.StatusCode}: {answer}");
            }
        }

        var scheduled = new Dictionary<string, Snapshot>();
        foreach (var (id, track) in tracks)
        {
            var response = await again.GetAsync($"/api/events/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var e = await response.Content.ReadFromJsonAsync<JsonElement>();
            var actual = new Snapshot(e.GetProperty("interviewerId").GetString()!, e.GetProperty("startsAt").GetString()!, e.GetProperty("status").GetString()!);
            Assert.True(actual == track.Acknowledged || actual == track.InFlight, $"event {id}: {actual} is neither {track.Acknowledged} nor {track.InFlight}");
            if (actual.Status == "scheduled")
            {
                scheduled[id] = actual;
            }
        }
        foreach (var interviewer in interviewers)
        {
            var calendar = (await again.GetFromJsonAsync<JsonElement>($"/api/interviewers/{interviewer}/calendar")).GetProperty("reservations")
                .EnumerateArray().ToDictionary(r => r.GetProperty("eventId").GetString()!, r => r.GetProperty("startsAt").GetString()!);
            var listed = (await again.GetFromJsonAsync<JsonElement>($"/api/interviewers/{interviewer}/events?status=scheduled&limit=100")).GetProperty("data")
                .EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("startsAt").GetString()!);
            // Every event is known (answered, or found again by its retried key), so both ways: each scheduled event holds
            // its reservation at its time, and each reservation belongs to a scheduled event of this interviewer.
            var expected = scheduled.Where(s => s.Value.InterviewerId == interviewer).ToDictionary(s => s.Key, s => s.Value.StartsAt);
            Assert.Equal(expected.OrderBy(p => p.Key), calendar.OrderBy(p => p.Key));
            Assert.Equal(expected.OrderBy(p => p.Key), listed.OrderBy(p => p.Key));
            var starts = calendar.Values.Select(s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture)).Order().ToArray();
            for (var n = 1; n < starts.Length; n++)
            {
                Assert.True(starts[n] - starts[n - 1] >= TimeSpan.FromMinutes(35), $"overlap in the calendar of {interviewer}");
            }
        }
    }
}
