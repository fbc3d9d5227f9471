using Scheduler.Events;

namespace Scheduler.Availability;

/// <summary>Free slots across the roster: every active interviewer with all <paramref name="Skills"/> (none: anyone).</summary>
/// <param name="PerSlot">How many of the interviewers free for a slot it names (the least-loaded).</param>
[GenerateSerializer, Immutable]
public sealed record RosterQuery(IReadOnlyList<string> Skills, DateTimeOffset From, DateTimeOffset To, TimeSpan Duration, int Limit, int PerSlot);

/// <summary>An interviewer a search considered; <paramref name="Load"/> counts its scheduled interviews in the window.</summary>
[GenerateSerializer, Immutable]
public sealed record RosterCandidate(string Id, string Name, int Load);

/// <summary>A free slot, how many interviewers are free for it, and the first of them, least-loaded first.</summary>
[GenerateSerializer, Immutable]
public sealed record RosterSlot(Slot Slot, IReadOnlyList<string> InterviewerIds, int FreeCount);

[GenerateSerializer, Immutable]
public sealed record RosterAvailability(IReadOnlyList<RosterSlot> Slots, IReadOnlyList<RosterCandidate> Interviewers, bool HasMore);

public enum PanelMode
{
    /// <summary>Every session at the same time, each with its own interviewer.</summary>
    Parallel,

    /// <summary>The sessions one after the other, in the order of the requirements.</summary>
    BackToBack,
}

/// <param name="Requirements">Per session, the skills its interviewer must all have.</param>
[GenerateSerializer, Immutable]
public sealed record PanelQuery(
    IReadOnlyList<IReadOnlyList<string>> Requirements, DateTimeOffset From, DateTimeOffset To, TimeSpan Duration, PanelMode Mode, int Limit);

/// <param name="Requirement">Index of the requirement this session meets.</param>
[GenerateSerializer, Immutable]
public sealed record PanelSession(int Requirement, string InterviewerId, Slot Slot);

/// <summary>A panel that can be booked: one session per requirement, each with a different interviewer.</summary>
[GenerateSerializer, Immutable]
public sealed record PanelProposal(Slot Slot, IReadOnlyList<PanelSession> Sessions);

[GenerateSerializer, Immutable]
public sealed record PanelAvailability(IReadOnlyList<PanelProposal> Panels, IReadOnlyList<RosterCandidate> Interviewers, bool HasMore);

/// <summary>One interview of a panel to book, under the id the event grain gets.</summary>
[GenerateSerializer, Immutable]
public sealed record PanelBookingItem(string EventId, Booking Booking);

/// <summary>
/// What booking a panel came to: every interview booked, or none (those booked before the failure were deleted again)
/// and why the session at <paramref name="FailedSession"/> could not be booked.
/// </summary>
/// <param name="Invalid">The failure is a validation error (an unknown interviewer) rather than a conflict.</param>
[GenerateSerializer, Immutable]
public sealed record PanelBookingOutcome(
    IReadOnlyList<InterviewEvent> Booked, int? FailedSession, string? Code, string? Message, bool Invalid = false);
