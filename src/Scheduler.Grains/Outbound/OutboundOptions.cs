namespace Scheduler.Grains.Outbound;

/// <summary>Limits on every request to a URL a user typed (section "Outbound").</summary>
public sealed class OutboundOptions
{
    /// <summary>Lets requests reach loopback and private networks: development and tests only.</summary>
    public bool AllowPrivateNetworks { get; set; }

    public int TimeoutSeconds { get; set; } = 10;

    public long MaxResponseBytes { get; set; } = 5 * 1024 * 1024;

    public int MaxRedirects { get; set; } = 5;
}
