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
    public Task<Interviewer> Update(string interviewerId, InterviewerProfile profile, long? expectedVersion, bool keepBookings, bool cancelUpcoming)
    {
        var interviewer = GrainFactory.GetGrain<IInterviewerGrain>(interviewerId);
        var update = () => interviewer.Update(profile, expectedVersion, keepBookings);
        return cancelUpcoming && profile.Status == InterviewerStatus.Inactive
            ? AfterCancellingUpcoming(interviewer, profile, expectedVersion, "The interviewer was deactivated.", "deactivated", update)
            : update();
    }

    public Task Delete(string interviewerId, long? expectedVersion, bool cancelUpcoming)
    {
        var interviewer = GrainFactory.GetGrain<IInterviewerGrain>(interviewerId);
        return cancelUpcoming
            ? AfterCancellingUpcoming(interviewer, null, expectedVersion, "The interviewer was removed from the roster.", "removed", async () =>
            {
                await interviewer.Delete(expectedVersion);
                return true;
            })
            : interviewer.Delete(expectedVersion);
    }

    /// <summary>
    /// Cancels the upcoming interviews once the interviewer grain says <paramref name="change"/> itself would be allowed,
    /// then makes it. Cancellations cannot be undone: a failure after them is in doubt, never passed on as it is (a
    /// storage refusal would say that nothing was stored, a message rejection would have the caller's retry filter send
    /// the whole call again).
    /// </summary>
    private async Task<T> AfterCancellingUpcoming<T>(IInterviewerGrain interviewer, InterviewerProfile? profile, long? expectedVersion, string reason,
        string change, Func<Task<T>> apply)
    {
        await interviewer.EnsureChangeAllowed(profile, expectedVersion);
        var cancelled = await CancelUpcoming(interviewer, reason);
        try
        {
            return await apply();
        }
        catch (Exception error) when (cancelled > 0 && error is not DomainException)
        {
            throw new ChangeInDoubtException(
                $"{cancelled} upcoming interview(s) were cancelled, but the interviewer could not be {change} yet. Read the interviewer before retrying.", error);
        }
    }

    /// <summary>
    /// Cancels the interviewer's upcoming interviews one by one. Callers first ask the interviewer grain whether the
    /// change itself would be refused (a stale version, a taken email, no such interviewer), since a cancellation cannot
    /// be undone; only a change racing this one can still refuse it after the cancellations.
    /// </summary>
    private async Task<int> CancelUpcoming(IInterviewerGrain interviewer, string reason)
    {
        var now = time.GetUtcNow();
        var cancelled = 0;
        foreach (var entry in await interviewer.Calendar())
        {
            if (entry.Slot.StartsAt <= now)
            {
                continue;
            }
            try
            {
                // Only while it is still this interviewer's, at the version read: an interview moved to someone else
                // meanwhile (or whose move is finished by this very read) is not cancelled with it.
                var interview = GrainFactory.GetGrain<IInterviewEventGrain>(entry.EventId);
                if (await interview.Get() is not { } current || current.InterviewerId != interviewer.GetPrimaryKeyString())
                {
                    continue;
                }
                await interview.Cancel(reason, current.Version);
                cancelled++;
            }
            catch (ConflictException e) when (e.Code == EventCodes.EventClosed)
            {
                // already cancelled or completed
            }
            catch (VersionMismatchException)
            {
                // changed since it was read (moved, rescheduled): the interviewer's own check decides whether it still blocks
            }
            catch (Exception error) when (cancelled > 0 && error is not DomainException)
            {
                throw new ChangeInDoubtException(
                    $"{cancelled} upcoming interview(s) were cancelled before the next could not be. Read the interviews before retrying.", error);
            }
        }
        return cancelled;
    }
}
