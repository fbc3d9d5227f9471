using System.Collections.Concurrent;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Cluster;

/// <summary>Three silos on PostgreSQL; kills one of them, so it has a cluster of its own.</summary>
public sealed class ThreeSiloPostgreSqlFixture() : PostgreSqlClusterFixture(silos: 3);

public sealed class SiloFailureTests(ThreeSiloPostgreSqlFixture fixture) : IClassFixture<ThreeSiloPostgreSqlFixture>
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task SiloKilled_DuringConcurrentBookings_AcknowledgedBookingsSurvive_WithoutDoubleBooking()
    {
        var interviewers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            interviewers.Add(await TestData.NewInterviewer(_grains));
        }
        var day = TestTime.NextMonday().AddHours(8);
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, InterviewEvent>();
        var attempted = new System.Collections.Concurrent.ConcurrentBag<string>();
        var started = 0;
        var killed = 0;
        var dead = 0;
        var answeredAfterKill = 0;
        var beforeKill = new ConcurrentBag<string>();
        var killAfter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Worker(int worker)
        {
            var random = new Random(worker);
            // 30 steps, and at least 5 sent once the silo is dead, however long the kill takes.
            for (int step = 0, sentAfter = 0; step < 30 || sentAfter < 5; step++)
            {
                if (Interlocked.Increment(ref started) == 60)
                {
                    killAfter.TrySetResult();
                }
                // Slots collide on purpose: 16 half-hour starts per interviewer, 30 to 60 minutes long.
                var slot = TestData.At(day.AddMinutes(30 * random.Next(0, 16)), 30 * random.Next(1, 3));
                var id = TestData.NewId();
                attempted.Add(id);
                var sentAfterTheKill = Volatile.Read(ref dead) == 1;
                if (sentAfterTheKill)
                {
                    sentAfter++;
                }
                try
                {
                    var booked = await _grains.GetGrain<IInterviewEventGrain>(id)
                        .Schedule(TestData.Booking(interviewers[random.Next(interviewers.Count)], slot));
                    acknowledged[booked.Id] = booked;
                    if (sentAfterTheKill)
                    {
                        Interlocked.Increment(ref answeredAfterKill);
                    }
                }
                catch (ConflictException)
                {
                    // the slot was taken: refused, as it should be (an answer all the same)
                    if (sentAfterTheKill)
                    {
                        Interlocked.Increment(ref answeredAfterKill);
                    }
                }
                catch (Exception error) when (error is OrleansException or TimeoutException or ChangeInDoubtException)
                {
                    // in flight on the silo that died (or its interviewer was): not acknowledged, so either outcome is
                    // allowed (checked below); before the kill nothing may fail
                    if (Volatile.Read(ref killed) == 0)
                    {
                        beforeKill.Add($"{error.GetType().Name}: {error.Message}");
                    }
                }
            }
        }

        var workers = Task.WhenAll(Enumerable.Range(0, 8).Select(Worker));
        await killAfter.Task;
        Volatile.Write(ref killed, 1);
        await fixture.Cluster.KillSiloAsync(fixture.Cluster.SecondarySilos[0]);
        Volatile.Write(ref dead, 1);
        await workers;

        Assert.True(beforeKill.IsEmpty, string.Join("\n", beforeKill.Take(5)));
        Assert.True(answeredAfterKill > 0, "no booking sent after the kill was answered");
        // Every acknowledged booking is there, as acknowledged, once the dead silo's grains live elsewhere.
        foreach (var (id, booked) in acknowledged)
        {
            var stored = await _grains.GetGrain<IInterviewEventGrain>(id).Get();
            Assert.NotNull(stored);
            Assert.Equal(EventStatus.Scheduled, stored.Status);
            Assert.Equal(booked.Slot, stored.Slot);
        }
        // Every event that ended up scheduled (acknowledged or in doubt) is in its interviewer's calendar and the
        // read model, and nothing else is; no calendar holds two overlapping interviews.
        var scheduled = new List<InterviewEvent>();
        foreach (var id in attempted)
        {
            if (await _grains.GetGrain<IInterviewEventGrain>(id).Get() is { Status: EventStatus.Scheduled } e)
            {
                scheduled.Add(e);
            }
        }
        foreach (var interviewer in interviewers)
        {
            var calendar = await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar();
            var expected = scheduled.Where(e => e.InterviewerId == interviewer).ToDictionary(e => e.Id, e => e.Slot);
            Assert.Equal(expected.OrderBy(p => p.Key), calendar.ToDictionary(c => c.EventId, c => c.Slot).OrderBy(p => p.Key));
            var ordered = calendar.OrderBy(c => c.Slot.StartsAt).ToArray();
            for (var n = 1; n < ordered.Length; n++)
            {
                Assert.True(ordered[n].Slot.StartsAt >= ordered[n - 1].Slot.EndsAt, $"double booking in {interviewer}");
            }
            var listed = await _grains.GetGrain<IEventQueryGrain>(0).List(
                new EventQuery(interviewer, null, null, EventStatus.Scheduled, null, EventSort.StartsAt, false, 100, 0));
            Assert.Equal(expected.Keys.Order(), listed.Items.Select(e => e.Id).Order());
        }
    }
}
