namespace Scheduler.Grains.Webhooks;

/// <summary>Configuration section <c>Webhooks</c>; where a receiver may be is <c>Outbound</c>'s (the SSRF guard).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How often the sender looks for deliveries that are due.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>Deliveries in flight at once (across all subscriptions).</summary>
    public int MaxInFlight { get; set; } = 8;

    /// <summary>The first retry's delay; each next one doubles (up to <see cref="MaxRetrySeconds"/>), with jitter.</summary>
    public double FirstRetrySeconds { get; set; } = 5;

    public double MaxRetrySeconds { get; set; } = 2 * 3600;

    /// <summary>How long a delivery is retried, and how long a subscription may fail before it is disabled.</summary>
    public double GiveUpAfterHours { get; set; } = 24;

    /// <summary>After a rotation, how long the previous secret also signs (a second <c>v1,</c> signature).</summary>
    public double PreviousSecretHours { get; set; } = 24;
}
