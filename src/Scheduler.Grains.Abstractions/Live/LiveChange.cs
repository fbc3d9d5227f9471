namespace Scheduler.Live;

/// <summary>
/// A committed change as live clients hear of it: enough to refetch, nothing more. <see cref="Position"/> is the
/// outbox's <c>seq</c>, which a client sends back to resume; <see cref="InterviewerIds"/> are the interviewers it
/// concerns (an interview's, before and after a reassignment; an interviewer's own), so that visibility is decided
/// without another read.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiveChange(
    long Position,
    string EntityType,
    string EntityId,
    long Version,
    string Action,
    DateTimeOffset At,
    string[] InterviewerIds);

/// <summary>What a live subscription yields: a change, or (when <see cref="Change"/> is null) a resync: what changed since the position given cannot be replayed, so refetch everything; <see cref="Position"/> is where the stream goes on from.</summary>
public readonly record struct LiveItem(long Position, LiveChange? Change)
{
    public static LiveItem Resync(long position) => new(position, null);
}

/// <summary>
/// This silo's feed of committed changes, read in order from the outbox (<c>domain_events</c>) and pushed between
/// silos by Orleans. A subscription replays what changed after a position, then follows live.
/// </summary>
public interface ILiveFeed
{
    /// <summary>
    /// The changes after <paramref name="after"/> (none: from now on), in position order, then every new one as it is
    /// committed, until <paramref name="cancellation"/> fires. A position too far behind (or unknown) yields a resync first.
    /// </summary>
    IAsyncEnumerable<LiveItem> Follow(long? after, CancellationToken cancellation);
}

/// <summary>A silo's end of the live feed, which the directory pokes when another silo committed a change.</summary>
public interface ILiveSiloObserver : IGrainObserver
{
    /// <summary>Something was committed: read the outbox from where this silo stands.</summary>
    [OneWay]
    Task Poke();

    /// <summary>The silos that have live listeners now (to poke after a commit).</summary>
    [OneWay]
    Task Listening(ILiveSiloObserver[] silos);
}

/// <summary>
/// The cluster's list of silos with live listeners (key 0), as in the GPSTracker sample: every silo syncs with it
/// now and then and when it gains its first or loses its last listener; a change of the list is pushed to all.
/// </summary>
public interface ILiveDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Records whether <paramref name="silo"/> has listeners; returns the silos that do.</summary>
    Task<ILiveSiloObserver[]> Sync(ILiveSiloObserver silo, bool listening);
}
