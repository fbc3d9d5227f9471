using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Scheduler.Availability;
using Scheduler.Common;
using Scheduler.Events;

namespace Scheduler.Grains.Availability;

/// <summary>
/// Books a panel's interviews one after the other through their event grains (each one the usual booking, with its
/// checks, audit and notifications). When one is refused, those already booked are deleted again, so the caller sees
/// all or nothing; a process that dies in between leaves the ones booked so far, visible in the interview list.
/// A failure other than a refusal, once something is booked, is answered as in doubt.
/// </summary>
[StatelessWorker]
public sealed partial class PanelBookingGrain(ILogger<PanelBookingGrain> logger) : Grain, IPanelBookingGrain
{
    public async Task<PanelBookingOutcome> Book(IReadOnlyList<PanelBookingItem> sessions)
    {
        var booked = new List<InterviewEvent>(sessions.Count);
        for (var n = 0; n < sessions.Count; n++)
        {
            try
            {
                booked.Add(await GrainFactory.GetGrain<IInterviewEventGrain>(sessions[n].EventId).Schedule(sessions[n].Booking));
            }
            catch (DomainException refused) when (refused is ConflictException or DomainValidationException)
            {
                await Undo(booked);
                return new PanelBookingOutcome([], n, refused.Code, refused.Message, refused is DomainValidationException);
            }
            catch (Exception error) when (booked.Count > 0)
            {
                // Interviews were booked (and their invitations queued) before this one failed: passed on as it is, a
                // storage refusal would say that nothing was stored, and a message rejection would have the caller's
                // retry filter book the same ids again (deleted by then).
                await Undo(booked);
                throw new ChangeInDoubtException(
                    $"Interview {n + 1} of the panel could not be booked; the {booked.Count} booked before it were deleted again. List the interviews before retrying.", error);
            }
        }
        return new PanelBookingOutcome(booked, null, null, null);
    }

    // Every one is tried; if one cannot be deleted the panel is left half-booked: in doubt, whatever failed first.
    private async Task Undo(List<InterviewEvent> booked)
    {
        Exception? failed = null;
        foreach (var done in booked)
        {
            try
            {
                await GrainFactory.GetGrain<IInterviewEventGrain>(done.Id).Delete(null);
            }
            catch (Exception e)
            {
                LogUndoFailed(e, done.Id);
                failed ??= e;
            }
        }
        if (failed is not null)
        {
            throw new ChangeInDoubtException(
                "A panel booking failed, and interviews booked for it could not all be deleted again. List the interviews before retrying.", failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A panel booking failed and its interview {EventId} could not be deleted again")]
    private partial void LogUndoFailed(Exception error, string eventId);
}
