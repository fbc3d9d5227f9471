namespace Scheduler.Grains.Live;

/// <summary>Configuration section <c>Live</c>: the live-update feed (SignalR hub and Server-Sent Events).</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>How many missed changes a resuming client is sent; further behind, it gets a resync (<c>Live__ReplayLimit</c>).</summary>
    public int ReplayLimit { get; set; } = 1000;

    /// <summary>
    /// While this silo has listeners, how often it reads the outbox without being poked (<c>Live__PollMilliseconds</c>):
    /// the safety net for a poke lost with a silo, not the path of a change.
    /// </summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How long a hole in the positions is waited for before it is passed over (<c>Live__GapMilliseconds</c>). On
    /// PostgreSQL a position is taken at insert and seen at commit, so a later one can be seen first; a rolled-back
    /// insert leaves a hole for good.
    /// </summary>
    public int GapMilliseconds { get; set; } = 2000;

    /// <summary>How many changes a listener that does not keep up may have waiting before it is told to resync.</summary>
    public int ListenerBuffer { get; set; } = 10_000;
}
