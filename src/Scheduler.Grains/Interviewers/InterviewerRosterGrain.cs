using Orleans.Concurrency;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Interviewers;

/// <summary>
/// Deactivates or removes an interviewer, cancelling its upcoming interviews first when asked. Each interview is
/// cancelled (and audited) through its own event grain, which releases the slot in the interviewer's calendar; this
/// worker, not the interviewer grain, waits for them, so no grain waits on another that waits on it. The interviewer
/// grain checks again when it is deactivated or deleted, so an interview booked meanwhile still blocks the change (409).
/// </summary>
[StatelessWorker]
public sealed class InterviewerRosterGrain(TimeProvider time) : Grain, IInterviewerRosterGrain
{
    public async Task<Interviewer> Update(string interviewerId, InterviewerProfile profile, long? expectedVersion, bool keepBookings, bool cancelUpcoming)
    {
        var interviewer = GrainFactory.GetGrain<IInterviewerGrain>(interviewerId);
        if (cancelUpcoming && profile.Status == InterviewerStatus.Inactive)
        {
            await interviewer.EnsureChangeAllowed(profile, expectedVersion);
            await CancelUpcoming(interviewer, "The interviewer was deactivated.");
        }
        return await interviewer.Update(profile, expectedVersion, keepBookings);
    }

    public async Task Delete(string interviewerId, long? expectedVersion, bool cancelUpcoming)
    {
        var interviewer = GrainFactory.GetGrain<IInterviewerGrain>(interviewerId);
        if (cancelUpcoming)
        {
            await interviewer.EnsureChangeAllowed(null, expectedVersion);
            await CancelUpcoming(interviewer, "The interviewer was removed from the roster.");
        }
        await interviewer.Delete(expectedVersion);
    }

    /// <summary>
    /// Cancels the interviewer's upcoming interviews one by one. Callers first ask the interviewer grain whether the
    /// change itself would be refused (a stale version, a taken email, no such interviewer), since a cancellation cannot
    /// be undone; only a change racing this one can still refuse it after the cancellations.
    /// </summary>
    private async Task CancelUpcoming(IInterviewerGrain interviewer, string reason)
    {
        var now = time.GetUtcNow();
        foreach (var entry in await interviewer.Calendar())
        {
            if (entry.Slot.StartsAt <= now)
            {
                continue;
            }
            try
            {
                await GrainFactory.GetGrain<IInterviewEventGrain>(entry.EventId).Cancel(reason, null);
            }
            catch (ConflictException e) when (e.Code == EventCodes.EventClosed)
            {
                // already cancelled or completed
            }
        }
    }
}
