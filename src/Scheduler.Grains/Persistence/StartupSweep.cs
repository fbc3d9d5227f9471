namespace Scheduler.Grains.Persistence;

/// <summary>
/// Whether this silo's start-up sweep has finished: until then, lists and totals may miss changes acknowledged
/// before a crash, so readiness waits for it.
/// </summary>
public sealed class StartupSweep
{
    private volatile bool _done;

    public bool Done
    {
        get => _done;
        internal set => _done = value;
    }
}
