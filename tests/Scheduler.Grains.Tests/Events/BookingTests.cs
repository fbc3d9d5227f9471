using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Events;

[Collection(ClusterCollection.Name)]
public sealed class BookingTests(SqliteClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IInterviewEventGrain Event(string? id = null) => _grains.GetGrain<IInterviewEventGrain>(id ?? TestData.NewId());

    [Fact]
    public async Task Schedule_FiftyConcurrentOverlappingAcrossSilos_ExactlyOneWinsAndCalendarHoldsOne()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var start = TestTime.NextMonday().AddHours(10);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(async n =>
        {
            try
            {
                // Every slot overlaps every other: they all contain 10:30-10:35.
                return await Event().Schedule(TestData.Booking(interviewer, TestData.At(start.AddMinutes(n % 30), 35)));
            }
            catch (ConflictException e) when (e.Code == EventCodes.SlotConflict)
            {
                return null;
            }
        }));

        var winner = Assert.Single(outcomes, o => o is not null)!;
        var calendar = await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar();
        var entry = Assert.Single(calendar);
        Assert.Equal(winner.Id, entry.EventId);
        Assert.Equal(winner.Slot, entry.Slot);
    }

    [Fact]
    public async Task Schedule_SameBookingTwice_ReturnsTheFirstResult_AndOtherBookingIsRefused()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var grain = Event();
        var booking = TestData.Booking(interviewer, TestData.At(TestTime.NextMonday().AddHours(9), 60));

        var first = await grain.Schedule(booking);
        var again = await grain.Schedule(booking);
        var error = await Assert.ThrowsAsync<ConflictException>(() => grain.Schedule(booking with { Title = "Other" }));

        Assert.Equal(first, again);
        Assert.Equal(EventCodes.IdempotencyKeyReused, error.Code);
        Assert.Single(await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar());
    }

    [Fact]
    public async Task Schedule_UnknownInterviewer_IsAValidationErrorAndLeavesNothing()
    {
        var grain = Event();

        var error = await Assert.ThrowsAsync<DomainValidationException>(() =>
            grain.Schedule(TestData.Booking(TestData.NewId(), TestData.At(TestTime.NextMonday(), 30))));

        Assert.Equal(EventCodes.UnknownInterviewer, error.Code);
        Assert.Null(await grain.Get());
    }

    [Fact]
    public async Task Schedule_Refused_LeavesNoEventAndTheSameIdCanBookLater()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var slot = TestData.At(TestTime.NextMonday().AddHours(14), 60);
        var blocker = await Event().Schedule(TestData.Booking(interviewer, slot));
        var grain = Event();

        await Assert.ThrowsAsync<ConflictException>(() => grain.Schedule(TestData.Booking(interviewer, slot)));
        Assert.Null(await grain.Get());
        await _grains.GetGrain<IInterviewEventGrain>(blocker.Id).Cancel("freed", null);
        var booked = await grain.Schedule(TestData.Booking(interviewer, slot));

        Assert.Equal(EventStatus.Scheduled, booked.Status);
    }

    [Fact]
    public async Task Reschedule_ToAnotherInterviewer_MovesTheReservation()
    {
        var first = await TestData.NewInterviewer(_grains);
        var second = await TestData.NewInterviewer(_grains);
        var slot = TestData.At(TestTime.NextMonday().AddHours(11), 45);
        var booked = await Event().Schedule(TestData.Booking(first, slot));

        var moved = await Event(booked.Id).Update(TestData.Booking(second, slot), expectedVersion: 1);

        Assert.Equal(second, moved.InterviewerId);
        Assert.Equal(2, moved.Version);
        Assert.Empty(await _grains.GetGrain<IInterviewerGrain>(first).Calendar());
        Assert.Equal(booked.Id, Assert.Single(await _grains.GetGrain<IInterviewerGrain>(second).Calendar()).EventId);
    }

    [Fact]
    public async Task Reschedule_IntoAConflict_KeepsTheOldBooking()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var morning = TestData.At(TestTime.NextMonday().AddHours(9), 60);
        var noon = TestData.At(TestTime.NextMonday().AddHours(12), 60);
        var target = await Event().Schedule(TestData.Booking(interviewer, morning));
        var other = await Event().Schedule(TestData.Booking(interviewer, noon));

        var error = await Assert.ThrowsAsync<ConflictException>(() => Event(target.Id).Update(TestData.Booking(interviewer, noon), null));

        Assert.Equal(other.Id, error.ConflictingEventId);
        Assert.Equal(target, await Event(target.Id).Get());
        var calendar = await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar();
        Assert.Equal(morning, calendar.Single(e => e.EventId == target.Id).Slot);
    }

    [Fact]
    public async Task Reschedule_WithinOwnSlot_NeverConflictsWithItself()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var start = TestTime.NextMonday().AddHours(9);
        var booked = await Event().Schedule(TestData.Booking(interviewer, TestData.At(start, 60)));

        var shifted = await Event(booked.Id).Update(TestData.Booking(interviewer, TestData.At(start.AddMinutes(30), 60)), null);

        Assert.Equal(start.AddMinutes(30), Assert.Single(await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar()).Slot.StartsAt);
        Assert.Equal(2, shifted.Version);
    }

    [Fact]
    public async Task Cancel_FreesTheSlot_AndClosedEventsCannotChange()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var slot = TestData.At(TestTime.NextMonday().AddHours(15), 30);
        var booked = await Event().Schedule(TestData.Booking(interviewer, slot));

        var cancelled = await Event(booked.Id).Cancel("candidate withdrew", 1);

        Assert.Equal(EventStatus.Cancelled, cancelled.Status);
        Assert.Equal("candidate withdrew", cancelled.CancellationReason);
        Assert.Empty(await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar());
        var closed = await Assert.ThrowsAsync<ConflictException>(() => Event(booked.Id).Update(TestData.Booking(interviewer, slot), null));
        Assert.Equal(EventCodes.EventClosed, closed.Code);
        await Event().Schedule(TestData.Booking(interviewer, slot));
    }

    [Fact]
    public async Task Complete_BeforeStart_IsRefused_AfterStart_KeepsTheSlotTaken()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var start = DateTimeOffset.UtcNow.AddMinutes(30);
        var booked = await Event().Schedule(TestData.Booking(interviewer, TestData.At(start, 30)));

        var early = await Assert.ThrowsAsync<ConflictException>(() => Event(booked.Id).Complete(null));
        SqliteClusterFixture.Clock.Advance(TimeSpan.FromMinutes(40));
        try
        {
            var completed = await Event(booked.Id).Complete(null);

            Assert.Equal(EventCodes.NotStarted, early.Code);
            Assert.Equal(EventStatus.Completed, completed.Status);
            Assert.Single(await _grains.GetGrain<IInterviewerGrain>(interviewer).Calendar());
        }
        finally
        {
            SqliteClusterFixture.Clock.Reset();
        }
    }

    [Fact]
    public async Task Reserve_ReplayAfterTheInterviewerWasDeleted_IsAcknowledged()
    {
        // An event carries out its stored intent again on a later activation when its projection failed: the slot it
        // holds is its own even if the interviewer has since left (deleted once the interview was past).
        var interviewer = await TestData.NewInterviewer(_grains);
        var slot = TestData.At(DateTimeOffset.UtcNow.AddMinutes(30), 30);
        var booked = await Event().Schedule(TestData.Booking(interviewer, slot));
        SqliteClusterFixture.Clock.Advance(TimeSpan.FromHours(2));
        try
        {
            await _grains.GetGrain<IInterviewerGrain>(interviewer).Delete(null);

            var replayed = await _grains.GetGrain<IInterviewerGrain>(interviewer).Reserve(booked.Id, slot);

            Assert.Equal(slot, replayed.Slot);
            var other = await Assert.ThrowsAsync<DomainValidationException>(() =>
                _grains.GetGrain<IInterviewerGrain>(interviewer).Reserve(TestData.NewId(), slot));
            Assert.Equal(EventCodes.UnknownInterviewer, other.Code);
        }
        finally
        {
            SqliteClusterFixture.Clock.Reset();
        }
    }

    [Fact]
    public async Task Schedule_InThePast_IsRefused()
    {
        var interviewer = await TestData.NewInterviewer(_grains);

        var error = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Event().Schedule(TestData.Booking(interviewer, TestData.At(DateTimeOffset.UtcNow.AddMinutes(-10), 30))));

        Assert.Equal("startsAt", error.Field);
    }

    [Fact]
    public async Task InterviewerWithUpcomingEvents_CannotBeDeletedOrDeactivated()
    {
        var interviewer = await TestData.NewInterviewer(_grains);
        var booked = await Event().Schedule(TestData.Booking(interviewer, TestData.At(TestTime.NextMonday().AddHours(9), 30)));
        var grain = _grains.GetGrain<IInterviewerGrain>(interviewer);
        var current = (await grain.Get())!;

        var delete = await Assert.ThrowsAsync<ConflictException>(() => grain.Delete(null));
        var deactivate = await Assert.ThrowsAsync<ConflictException>(() => grain.Update(
            new InterviewerProfile(current.Name, current.Email, current.Skills, InterviewerStatus.Inactive, current.Timezone), null));
        await Event(booked.Id).Cancel(null, null);
        await grain.Delete(null);

        Assert.Equal([booked.Id], delete.RelatedIds);
        Assert.Equal(EventCodes.HasUpcomingEvents, deactivate.Code);
        Assert.Null(await grain.Get());
    }
}
