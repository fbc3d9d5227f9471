namespace Scheduler.Grains.Common;

/// <summary>The wait before a durable send's next attempt (email, webhooks, calendar write-back).</summary>
public static class RetryBackoff
{
    /// <summary>
    /// Exponential from <paramref name="firstSeconds"/>, at most <paramref name="maxSeconds"/>, with full jitter over its
    /// upper half, so that many items failing together do not all come back at once.
    /// </summary>
    public static TimeSpan Jittered(int attempts, double firstSeconds, double maxSeconds)
    {
        var ceiling = Math.Min(maxSeconds, firstSeconds * Math.Pow(2, Math.Min(30, attempts - 1)));
        return TimeSpan.FromSeconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
