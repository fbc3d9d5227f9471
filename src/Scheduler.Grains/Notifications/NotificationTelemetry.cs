using System.Diagnostics.Metrics;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Notifications;

/// <summary>The email notifications' metrics, on the service's meter.</summary>
public sealed class NotificationTelemetry
{
    private readonly Counter<long> _queued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dead;
    private readonly Histogram<double> _lag;

    public NotificationTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(SchedulerTelemetry.Name);
        _queued = meter.CreateCounter<long>("scheduler.notifications.queued", "{message}", "Email notifications queued (or recorded as skipped while email is off)");
        _sent = meter.CreateCounter<long>("scheduler.notifications.sent", "{message}", "Email notifications the SMTP server accepted");
        _failed = meter.CreateCounter<long>("scheduler.notifications.failed", "{attempt}", "Email deliveries that failed and will be retried");
        _dead = meter.CreateCounter<long>("scheduler.notifications.dead", "{message}", "Email notifications given up on after the last attempt");
        _lag = meter.CreateHistogram<double>("scheduler.notifications.delivery_lag", "s", "From when a message was due to when the SMTP server accepted it");
    }

    public void Queued(int count) => _queued.Add(count);

    public void Sent(TimeSpan lag)
    {
        _sent.Add(1);
        _lag.Record(Math.Max(0, lag.TotalSeconds));
    }

    public void Failed() => _failed.Add(1);

    public void Dead() => _dead.Add(1);
}
