namespace Scheduler.Grains.Persistence;

/// <summary>
/// What this silo's start-up recovery found: until it is done, changes begun before a crash may still be pending,
/// so readiness waits for it. A mismatch between state rows and read-model rows is reported, never repaired silently.
/// </summary>
public sealed class StartupCheck
{
    private volatile bool _done;
    private volatile string? _mismatch;

    public bool Done
    {
        get => _done;
        internal set => _done = value;
    }

    /// <summary>Null when every registered entity has as many read-model rows as state rows; otherwise what differs.</summary>
    public string? Mismatch
    {
        get => _mismatch;
        internal set => _mismatch = value;
    }
}
