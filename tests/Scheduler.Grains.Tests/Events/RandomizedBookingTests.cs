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
        var succeeded = new Dictionary<string, int> { ["book"] = 0, ["move"] = 0, ["cancel"] = 0 };
        var refusals = new List<(string Operation, string? Target, ConflictException Error)>();

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
                var operation = target is null ? "book" : random.Next(4) == 0 ? "cancel" : "move";
                try
                {
                    switch (operation)
                    {
                        case "book":
                            var booked = await _grains.GetGrain<IInterviewEventGrain>(TestData.NewId()).Schedule(TestData.Booking(interviewer, slot));
                            lock (gate)
                            {
                                events.Add(booked.Id);
                            }
                            break;
                        case "cancel":
                            await _grains.GetGrain<IInterviewEventGrain>(target!).Cancel("random", null);
                            break;
                        default:
                            await _grains.GetGrain<IInterviewEventGrain>(target!).Update(TestData.Booking(interviewer, slot), null);
                            break;
                    }
                    lock (gate)
                    {
                        succeeded[operation]++;
                    }
                }
                catch (ConflictException error)
                {
                    lock (gate)
                    {
                        refusals.Add((operation, target, error));
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(Worker));

        // A rule that refused everything would leave nothing to compare: each kind of change must also have happened.
        Assert.All(succeeded, pair => Assert.True(pair.Value >= 5, $"only {pair.Value} '{pair.Key}' operations succeeded"));
        // Each refusal for its reason: the calendar was taken (by a known event), or the event was already cancelled.
        foreach (var (operation, target, error) in refusals)
        {
            if (error.Code == EventCodes.SlotConflict)
            {
                Assert.NotEqual("cancel", operation);
                Assert.Contains(error.ConflictingEventId, events);
                Assert.NotEqual(target, error.ConflictingEventId);
            }
            else
            {
                Assert.True(error.Code == EventCodes.EventClosed && target is not null, $"{operation} of {target} refused with {error.Code}: {error.Message}");
                Assert.Equal(EventStatus.Cancelled, (await _grains.GetGrain<IInterviewEventGrain>(target!).Get())?.Status);
            }
        }

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
