namespace Scheduler.Grains.Calendars;

/// <summary>How linked calendars are synced (section "CalendarSync").</summary>
public sealed class CalendarSyncOptions
{
    public const string Section = "CalendarSync";

    public bool Enabled { get; set; } = true;

    /// <summary>Minutes between two syncs of one calendar; each next sync is spread by up to a fifth of it.</summary>
    public double IntervalMinutes { get; set; } = 5;

    /// <summary>How often each silo looks for calendars whose sync is due.</summary>
    public double PollSeconds { get; set; } = 15;

    /// <summary>How far ahead busy time is read: far enough that a DST change months away is covered.</summary>
    public int WindowDays { get; set; } = 180;

    /// <summary>Busy blocks kept per calendar: a hostile or runaway RRULE stops here.</summary>
    public int MaxBlocks { get; set; } = 5000;

    public int MaxParallel { get; set; } = 4;

    /// <summary>The longest wait after repeated failures (the wait doubles with each).</summary>
    public double MaxBackoffMinutes { get; set; } = 360;
}
