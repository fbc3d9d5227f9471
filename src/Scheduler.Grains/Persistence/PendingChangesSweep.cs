using Microsoft.Extensions.Logging;
using Scheduler.Grains.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Every <see cref="Every"/>, on one silo of the cluster (<see cref="LeasedLoop"/>), activates the grains that have a
/// change begun and not finished (<see cref="PendingChanges"/>): a change answered <c>change_in_doubt</c> is then
/// finished or undone within that time, not only when something next calls its grain or a silo starts. A grain in
/// the middle of an ordinary change is only called once that change's call is done.
/// </summary>
internal sealed partial class PendingChangesSweep(
    SchedulerDatabase database,
    DatabaseWriter writer,
    ReadModelQueries queries,
    IGrainFactory grains,
    StartupCheck startup,
    TimeProvider time,
    ILogger<PendingChangesSweep> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    public void Participate(ISiloLifecycle lifecycle) =>
        // The first round comes as the silo turns active, with the start-up recovery resuming the same grains: skipped.
        new LeasedLoop(database, writer, time, "pending-changes", Every, _ => startup.Done ? SweepAsync() : Task.CompletedTask, LogSweepFailed)
            .Participate(lifecycle, nameof(PendingChangesSweep));

    /// <summary>Resumes every marked grain; returns how many were.</summary>
    internal Task<int> SweepAsync() => PendingChanges.ResumeAll(queries, grains, LogResumeFailed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming the pending change of {GrainClass} {Id} failed; the next sweep tries again")]
    private partial void LogResumeFailed(string grainClass, string id, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweep of pending changes failed; the next one tries again")]
    private partial void LogSweepFailed(Exception error);
}
