using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Telemetry;

public sealed class MetricsTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>, IDisposable
{
    private readonly List<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = [];
    private MeterListener? _listener;

    private void Listen()
    {
        // Only this host's meters: other test hosts in the process have meters of the same name.
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Scheduler" && instrument.Meter.Scope == meters)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        _listener.Start();
    }

    private long Sum(string instrument, string? reason = null)
    {
        lock (_measurements)
        {
            return _measurements.Where(m => m.Instrument == instrument && (reason is null || Equals(m.Tags.GetValueOrDefault("reason"), reason))).Sum(m => m.Value);
        }
    }

    [Fact]
    public async Task BookingConflict_IsCountedWithItsReason_AndBookingsAreCounted()
    {
        var client = await factory.ClientAs(Roles.Talent);
        Listen();
        var interviewer = (await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", new { name = "Metered", email = $"m.{Guid.NewGuid():N}@example.com" }), HttpStatusCode.Created))
            .GetProperty("id").GetString();
        var start = DateTime.UtcNow.Date.AddDays(3).AddHours(10);
        var booking = new { interviewerId = interviewer, title = "t", candidateName = "c", candidateEmail = "c@example.com", startsAt = start.ToString("O"), endsAt = start.AddHours(1).ToString("O") };

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/events", booking)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/events", booking)).StatusCode);

        Assert.Equal(1, Sum("scheduler.booking.conflicts", "slot_conflict"));
        Assert.Equal(1, Sum("scheduler.interviews.scheduled"));
        Assert.True(Sum("scheduler.audit.entries") >= 2);
    }

    [Fact]
    public async Task LoginFailure_IsCounted()
    {
        using var client = factory.CreateClient();
        Listen();

        await client.PostAsJsonAsync("/api/auth/login", new { email = SchedulerApiFactory.AdminEmail, password = "wrong-password" });
        await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.com", password = "wrong-password" });

        Assert.Equal(2, Sum("scheduler.auth.login_failures"));
    }

    public void Dispose() => _listener?.Dispose();
}
