using Microsoft.Data.Sqlite;
using Scheduler.Availability;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Persistence;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Events;

/// <summary>
/// A change that did something before it failed is answered as in doubt (<see cref="ChangeInDoubtException"/>), never
/// with the failure inside it: a storage refusal says that nothing was stored, and a message rejection would have the
/// caller's retry filter send the whole call again.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InDoubtTests(SqliteClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IInterviewEventGrain Event(string id) => _grains.GetGrain<IInterviewEventGrain>(id);

    [Fact]
    public async Task PanelBooking_SecondInterviewFailsInStorage_FirstIsDeletedAgain_AndTheAnswerIsInDoubt()
    {
        var (first, second) = (await TestData.NewInterviewer(_grains), await TestData.NewInterviewer(_grains));
        var start = TestTime.NextMonday().AddDays(7).AddHours(9);
        PanelBookingItem[] panel =
        [
            new(TestData.NewId(), TestData.Booking(first, TestData.At(start, 45))),
            new(TestData.NewId(), TestData.Booking(second, TestData.At(start.AddHours(1), 45))),
        ];
        var refusal = new StorageUnavailableException("planted: the database refused the write");

        using (InjectedFaults.Plant(Event(panel[1].EventId), nameof(IInterviewEventGrain.Schedule), refusal))
        {
            var error = await Assert.ThrowsAsync<ChangeInDoubtException>(() => _grains.GetGrain<IPanelBookingGrain>(0).Book(panel));
            Assert.IsType<StorageUnavailableException>(error.InnerException);
        }

        Assert.Null(await Event(panel[0].EventId).Get());
        Assert.Empty(await _grains.GetGrain<IInterviewerGrain>(first).Calendar());
    }

    [Fact]
    public async Task PanelBooking_RefusedAndTheUndoFails_AnswersInDoubt_AndTheBookedOneStands()
    {
        var (first, second) = (await TestData.NewInterviewer(_grains), await TestData.NewInterviewer(_grains));
        var start = TestTime.NextMonday().AddDays(7).AddHours(13);
        var taken = await Event(TestData.NewId()).Schedule(TestData.Booking(second, TestData.At(start.AddHours(1), 30)));
        PanelBookingItem[] panel =
        [
            new(TestData.NewId(), TestData.Booking(first, TestData.At(start, 45))),
            new(TestData.NewId(), TestData.Booking(second, TestData.At(start.AddHours(1), 45))), // overlaps `taken`
        ];

        using (InjectedFaults.Plant(Event(panel[0].EventId), nameof(IInterviewEventGrain.Delete), new StorageUnavailableException("planted")))
        {
            var error = await Assert.ThrowsAsync<ChangeInDoubtException>(() => _grains.GetGrain<IPanelBookingGrain>(0).Book(panel));
            Assert.IsType<StorageUnavailableException>(error.InnerException);
        }

        Assert.NotNull(await Event(panel[0].EventId).Get());
        Assert.Equal(taken.Id, Assert.Single(await _grains.GetGrain<IInterviewerGrain>(second).Calendar()).EventId);
    }

    [Fact]
    public async Task DeactivateWithCancelUpcoming_InterviewerWriteRefusedAfterTheCancellations_AnswersInDoubt()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var booked = await Event(TestData.NewId()).Schedule(
            TestData.Booking(interviewer, TestData.At(TestTime.NextMonday().AddDays(7).AddHours(10), 30)));
        var current = (await _grains.GetGrain<IInterviewerGrain>(interviewer).Get())!;
        var profile = new InterviewerProfile(current.Name, current.Email, current.Skills, InterviewerStatus.Inactive, current.Timezone);

        using (InjectedFaults.Plant(_grains.GetGrain<IInterviewerGrain>(interviewer), nameof(IInterviewerGrain.Update),
            new StorageUnavailableException("planted")))
        {
            var error = await Assert.ThrowsAsync<ChangeInDoubtException>(() => _grains.GetGrain<IInterviewerRosterGrain>(0)
                .Update(interviewer, profile, current.Version, keepBookings: false, cancelUpcoming: true));
            Assert.IsType<StorageUnavailableException>(error.InnerException);
        }

        Assert.Equal(EventStatus.Cancelled, (await Event(booked.Id).Get())!.Status);
        Assert.Equal(InterviewerStatus.Active, (await _grains.GetGrain<IInterviewerGrain>(interviewer).Get())!.Status);
    }

    [Fact]
    public async Task Booking_RefusedAndItsRevertNotStored_AnswersInDoubt_AndTheNextActivationRevertsIt()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var slot = TestData.At(TestTime.NextMonday().AddDays(7).AddHours(15), 30);
        var taken = await Event(TestData.NewId()).Schedule(TestData.Booking(interviewer, slot));
        var refused = TestData.NewId();
        // The revert clears the booking's pending-change mark in its transaction: a trigger makes that write fail.
        await Sql(fixture, $"""
            CREATE TRIGGER planted_{refused} BEFORE DELETE ON pending_changes WHEN old.grain_id = '{refused}'
            BEGIN SELECT json('planted fault'); END
            """);
        try
        {
            var error = await Assert.ThrowsAsync<ChangeInDoubtException>(() => Event(refused).Schedule(TestData.Booking(interviewer, slot)));
            Assert.IsNotType<ChangeInDoubtException>(error.InnerException);
        }
        finally
        {
            await Sql(fixture, $"DROP TRIGGER planted_{refused}");
        }

        // The stored intent is carried out again at the next activation, refused again, and reverted this time.
        Assert.Null(await Event(refused).Get());
        Assert.Equal(taken.Id, Assert.Single(await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar()).EventId);
    }

    [Fact]
    public async Task RescheduleInDoubt_ResumedAfterTheNewSlotEnded_FreesTheOldSlot()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var now = DateTimeOffset.UtcNow;
        var later = TestData.At(now.AddHours(3), 30);
        var sooner = TestData.At(now.AddMinutes(30), 30);
        var booked = await Event(TestData.NewId()).Schedule(TestData.Booking(interviewer, later));

        try
        {
            using (InjectedFaults.Plant(_grains.GetGrain<IInterviewerGrain>(interviewer), nameof(IInterviewerGrain.Reserve), new TimeoutException("planted")))
            {
                await Assert.ThrowsAsync<ChangeInDoubtException>(() => Event(booked.Id).Update(TestData.Booking(interviewer, sooner), null));
                // Before the fault goes: a sweep of pending changes may resume the event from here on.
                SqliteClusterFixture.Clock.Advance(TimeSpan.FromHours(2));
            }

            // The next activation finds the intent: the new slot has ended, so nothing is reserved, and the old one is freed.
            var resumed = await Event(booked.Id).Get();

            Assert.Equal(sooner, resumed!.Slot);
            Assert.DoesNotContain(await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar(), entry => entry.EventId == booked.Id);
            await Event(TestData.NewId()).Schedule(TestData.Booking(interviewer, later));
        }
        finally
        {
            SqliteClusterFixture.Clock.Reset();
        }
    }

    [Fact]
    public async Task MoveInDoubt_IsFinishedByTheSweep_WithoutAnyCallToTheInterview()
    {
        var (from, to) = (await TestData.NewInterviewer(_grains), await TestData.NewInterviewer(_grains));
        var slot = TestData.At(TestTime.NextMonday().AddDays(7).AddHours(17), 30);
        var booked = await Event(TestData.NewId()).Schedule(TestData.Booking(from, slot));
        using (InjectedFaults.Plant(_grains.GetGrain<IInterviewerGrain>(to), nameof(IInterviewerGrain.Reserve), new TimeoutException("planted")))
        {
            await Assert.ThrowsAsync<ChangeInDoubtException>(() => Event(booked.Id).Update(TestData.Booking(to, slot), null));
        }

        await fixture.SiloService<PendingChangesSweep>().SweepAsync();

        Assert.Equal(booked.Id, Assert.Single(await _grains.GetGrain<IInterviewerGrain>(to).Calendar()).EventId);
        Assert.Empty(await _grains.GetGrain<IInterviewerGrain>(from).Calendar());
    }

    [Fact]
    public async Task DeactivateWithCancelUpcoming_AnInterviewMovedAwayMeanwhile_IsNotCancelled()
    {
        var (leaving, staying) = (await TestData.NewInterviewer(_grains), await TestData.NewInterviewer(_grains));
        var slot = TestData.At(TestTime.NextMonday().AddDays(7).AddHours(16), 30);
        var booked = await Event(TestData.NewId()).Schedule(TestData.Booking(leaving, slot));
        // The move reserves with the new interviewer, then cannot release the old one: in doubt, and the leaving
        // interviewer's calendar still holds the interview until the event is activated again.
        using (InjectedFaults.Plant(_grains.GetGrain<IInterviewerGrain>(leaving), nameof(IInterviewerGrain.Release), new TimeoutException("planted")))
        {
            await Assert.ThrowsAsync<ChangeInDoubtException>(() => Event(booked.Id).Update(TestData.Booking(staying, slot), null));
        }
        var current = (await _grains.GetGrain<IInterviewerGrain>(leaving).Get())!;
        var inactive = new InterviewerProfile(current.Name, current.Email, current.Skills, InterviewerStatus.Inactive, current.Timezone);

        await _grains.GetGrain<IInterviewerRosterGrain>(0).Update(leaving, inactive, null, keepBookings: false, cancelUpcoming: true);

        var moved = (await Event(booked.Id).Get())!;
        Assert.Equal(EventStatus.Scheduled, moved.Status);
        Assert.Equal(staying, moved.InterviewerId);
        Assert.Equal(booked.Id, Assert.Single(await _grains.GetGrain<IInterviewerGrain>(staying).Calendar()).EventId);
    }

    private static async Task Sql(SqliteClusterFixture fixture, string sql)
    {
        await using var connection = new SqliteConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
