using Scheduler.Common;

namespace Scheduler.Interviewers;

/// <summary>
/// Changes to the roster that touch an interviewer's interviews as well as the interviewer: deactivating or removing
/// one and cancelling its upcoming interviews first. A stateless worker (use key 0), so that the interviewer grain never
/// awaits an event grain that calls back into it (cancelling an interview releases its slot in the interviewer's calendar).
/// </summary>
public interface IInterviewerRosterGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// <see cref="IInterviewerGrain.Update"/>, after cancelling the interviewer's upcoming interviews when
    /// <paramref name="cancelUpcoming"/> and the profile deactivates it. The interviewer grain is first asked whether the
    /// change itself would be refused, since a cancellation cannot be undone.
    /// </summary>
    /// <exception cref="NotFoundException">No such interviewer.</exception>
    /// <exception cref="VersionMismatchException"><paramref name="expectedVersion"/> is given and stale.</exception>
    /// <exception cref="ConflictException">See <see cref="IInterviewerGrain.Update"/>.</exception>
    Task<Interviewer> Update(string interviewerId, InterviewerProfile profile, long? expectedVersion, bool keepBookings, bool cancelUpcoming);

    /// <summary><see cref="IInterviewerGrain.Delete"/>, after cancelling the upcoming interviews when <paramref name="cancelUpcoming"/>.</summary>
    /// <inheritdoc cref="Update" path="/exception"/>
    Task Delete(string interviewerId, long? expectedVersion, bool cancelUpcoming);
}
