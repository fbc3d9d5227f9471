namespace Scheduler.Grains.Calendars;

/// <summary>How interviews are written into write-back calendars (section "CalendarPush").</summary>
public sealed class CalendarPushOptions
{
    public const string Section = "CalendarPush";

    /// <summary>Whether this silo sends; pushes are queued either way and wait for a silo that sends.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the sender looks for pushes that are due.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>Pushes in flight at once (across all calendars).</summary>
    public int MaxInFlight { get; set; } = 4;

    /// <summary>The first retry's delay; each next one doubles (up to <see cref="MaxRetrySeconds"/>), with jitter.</summary>
    public double FirstRetrySeconds { get; set; } = 10;

    public double MaxRetrySeconds { get; set; } = 3600;
}
