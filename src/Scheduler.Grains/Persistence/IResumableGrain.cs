namespace Scheduler.Grains.Persistence;

/// <summary>
/// A grain whose change spans another grain's state (a booking and a calendar) and so is committed in two steps: it
/// marks itself in <c>pending_changes</c> with the first and clears the mark with the last (<see cref="PendingChanges"/>).
/// At start-up, every marked grain is activated, and its activation finishes or undoes the change.
/// </summary>
public interface IResumableGrain : IGrainWithStringKey
{
    /// <summary>Returns once the activation has finished or undone any pending change.</summary>
    Task Resume();
}
