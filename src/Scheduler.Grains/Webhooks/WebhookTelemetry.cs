using System.Diagnostics.Metrics;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Webhooks;

/// <summary>The webhooks' metrics, on the service's meter.</summary>
public sealed class WebhookTelemetry
{
    private readonly Counter<long> _queued;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dead;
    private readonly Counter<long> _disabled;
    private readonly Histogram<double> _lag;

    public WebhookTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(SchedulerTelemetry.Name);
        _queued = meter.CreateCounter<long>("scheduler.webhooks.queued", "{delivery}", "Webhook deliveries queued");
        _delivered = meter.CreateCounter<long>("scheduler.webhooks.delivered", "{delivery}", "Webhook deliveries a receiver answered with 2xx");
        _failed = meter.CreateCounter<long>("scheduler.webhooks.failed", "{attempt}", "Webhook attempts that failed and will be retried");
        _dead = meter.CreateCounter<long>("scheduler.webhooks.dead", "{delivery}", "Webhook deliveries given up on");
        _disabled = meter.CreateCounter<long>("scheduler.webhooks.disabled", "{subscription}", "Webhook subscriptions disabled after failing for the whole retry period");
        _lag = meter.CreateHistogram<double>("scheduler.webhooks.delivery_lag", "s", "From when a delivery was queued to when its receiver accepted it");
    }

    public void Queued(int count) => _queued.Add(count);

    public void Delivered(TimeSpan lag)
    {
        _delivered.Add(1);
        _lag.Record(Math.Max(0, lag.TotalSeconds));
    }

    public void Failed() => _failed.Add(1);

    public void Dead() => _dead.Add(1);

    public void Disabled() => _disabled.Add(1);
}
