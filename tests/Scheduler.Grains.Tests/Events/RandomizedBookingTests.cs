using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Events;

/// <summary>
/// Seeded random interleavings of book / reschedule (also across interviewers) / cancel, run concurrently on two
/// silos; afterwards grains, calendars and the read model must tell the same story, with no overlap anywhere.
/// </summary>
public abstract class RandomizedBookingTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(2026)]
    public async Task RandomOperations_EndWithGrainsCalendarsAndReadModelAgreeing(int seed)
    {
        var interviewers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            interviewers.Add(await TestData.NewInterviewer(_grains, TestData.Profile() with { Timezone = "UTC", BufferMinutes = i * 5 }));
        }
        var day = TestTime.NextMonday().AddHours(8);
        var events = new List<string>();
        var gate = new object();

        async Task Worker(int worker)
        {
            var random = new Random(seed * 100 + worker);
            for (var step = 0; step < 40; step++)
            {
                var slot = TestData.At(day.AddMinutes(15 * random.Next(0, 32)), 15 * random.Next(1, 5));
                var interviewer = interviewers[random.Next(interviewers.Count)];
                string? target;
                lock (gate)
                {
                    target = events.Count > 0 && random.Next(3) > 0 ? events[random.Next(events.Count)] : null;
                }
                try
                {
                    if (target is null)
                    {
                        var booked = await _grains.GetGrain<IInterviewEventGrain>(TestData.NewId()).Schedule(TestData.Booking(interviewer, slot));
                        lock (gate)
                        {
                            events.Add(booked.Id);
                        }
                    }
                    else if (random.Next(4) == 0)
                    {
                        await _grains.GetGrain<IInterviewEventGrain>(target).Cancel("random", null);
                    }
                    else
                    {
                        await _grains.GetGrain<IInterviewEventGrain>(target).Update(TestData.Booking(interviewer, slot), null);
                    }
                }
                catch (ConflictException)
                {
                    // refused: the calendar was taken, or the event was already cancelled
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(Worker));

        var scheduled = new Dictionary<string, InterviewEvent>();
        foreach (var id in events)
        {
            var e = await _grains.GetGrain<IInterviewEventGrain>(id).Get();
            Assert.NotNull(e);
            if (e.Status == EventStatus.Scheduled)
            {
                scheduled[id] = e;
            }
        }
        foreach (var (interviewer, index) in interviewers.Select((id, n) => (id, n)))
        {
            var calendar = await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar();
            var expected = scheduled.Values.Where(e => e.InterviewerId == interviewer).ToDictionary(e => e.Id, e => e.Slot);
            Assert.Equal(expected.OrderBy(p => p.Key), calendar.ToDictionary(c => c.EventId, c => c.Slot).OrderBy(p => p.Key));
            var ordered = calendar.OrderBy(c => c.Slot.StartsAt).ToArray();
            for (var n = 1; n < ordered.Length; n++)
            {
                Assert.True(ordered[n].Slot.StartsAt >= ordered[n - 1].Slot.EndsAt.AddMinutes(index * 5), $"overlap in {interviewer}");
            }
            var listed = await _grains.GetGrain<IEventQueryGrain>(0).List(
                new EventQuery(interviewer, null, null, EventStatus.Scheduled, null, EventSort.StartsAt, false, 100, 0));
            Assert.Equal(expected.Keys.Order(), listed.Items.Select(e => e.Id).Order());
            Assert.All(listed.Items, e => Assert.Equal(expected[e.Id], e.Slot));
        }
    }
}

[Collection(ClusterCollection.Name)]
public sealed class SqliteRandomizedBookingTests(SqliteClusterFixture fixture) : RandomizedBookingTests(fixture);

[Collection(PostgreSqlClusterCollection.Name)]
public sealed class PostgreSqlRandomizedBookingTests(PostgreSqlClusterFixture fixture) : RandomizedBookingTests(fixture);
