using Scheduler.Common;

namespace Scheduler.Availability;

/// <summary>
/// Free time across the roster, from the interviewer grains' own availability (so every rule they apply applies here)
/// asked in parallel with a bounded fan-out. A stateless worker: use key 0.
/// </summary>
public interface IRosterAvailabilityGrain : IGrainWithIntegerKey
{
    /// <exception cref="DomainValidationException">More interviewers match than one search may ask (<c>too_many_interviewers</c>).</exception>
    [ReadOnly]
    Task<RosterAvailability> Find(RosterQuery query);

    /// <summary>Panels: a different interviewer per requirement, found by bipartite matching at each start time.</summary>
    /// <exception cref="DomainValidationException">More interviewers match than one search may ask (<c>too_many_interviewers</c>).</exception>
    [ReadOnly]
    Task<PanelAvailability> FindPanels(PanelQuery query);
}

/// <summary>Books a panel's interviews all or nothing, as the caller sees it. A stateless worker: use key 0.</summary>
public interface IPanelBookingGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Books each interview in turn; when one is refused (a conflict, an unknown interviewer), deletes those already
    /// booked and reports which one failed. Any other error also deletes those booked before it is rethrown.
    /// </summary>
    Task<PanelBookingOutcome> Book(IReadOnlyList<PanelBookingItem> sessions);
}
