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
            catch
            {
                await Undo(booked);
                throw;
            }
        }
        return new PanelBookingOutcome(booked, null, null, null);
    }

    // Every one is tried; the first failure is rethrown after them (a 500 or 503: the caller lists the interviews).
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
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A panel booking failed and its interview {EventId} could not be deleted again")]
    private partial void LogUndoFailed(Exception error, string eventId);
}
