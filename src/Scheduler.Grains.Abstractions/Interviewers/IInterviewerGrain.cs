using Scheduler.Common;

namespace Scheduler.Interviewers;

/// <summary>One interviewer, keyed by its id. Owns the profile and the audit trail of its changes.</summary>
public interface IInterviewerGrain : IGrainWithStringKey, IEmailHolder
{
    /// <exception cref="ConflictException">The id is taken (<c>already_exists</c>) or the email is (<c>email_taken</c>).</exception>
    Task<Interviewer> Create(InterviewerProfile profile);

    [ReadOnly]
    Task<Interviewer?> Get();

    /// <exception cref="NotFoundException">No such interviewer.</exception>
    /// <exception cref="VersionMismatchException"><paramref name="expectedVersion"/> is given and stale.</exception>
    Task<Interviewer> Update(InterviewerProfile profile, long? expectedVersion);

    /// <inheritdoc cref="Update"/>
    Task Delete(long? expectedVersion);
}
