using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// The email notifications' metrics and the outbox's lag, on the service's meter. (A backup's age belongs beside the
/// outbox lag as one more observable gauge, once backups exist.)
/// </summary>
public sealed class NotificationTelemetry
{
    private readonly Counter<long> _queued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dead;
    private readonly Histogram<double> _lag;

    public NotificationTelemetry(IMeterFactory meters, ReadModelQueries queries, TimeProvider time, ILogger<NotificationTelemetry> logger)
    {
        var meter = meters.Create(SchedulerTelemetry.Name);
        _queued = meter.CreateCounter<long>("scheduler.notifications.queued", "{message}", "Email notifications queued (or recorded as skipped while email is off)");
        _sent = meter.CreateCounter<long>("scheduler.notifications.sent", "{message}", "Email notifications the SMTP server accepted");
        _failed = meter.CreateCounter<long>("scheduler.notifications.failed", "{attempt}", "Email deliveries that failed and will be retried");
        _dead = meter.CreateCounter<long>("scheduler.notifications.dead", "{message}", "Email notifications given up on after the last attempt");
        _lag = meter.CreateHistogram<double>("scheduler.notifications.delivery_lag", "s", "From when a message was due to when the SMTP server accepted it");
        // Read when a reader collects (a scrape, an OTLP export): one row through the pending index, the same on every silo.
        meter.CreateObservableGauge("scheduler.outbox.lag", () => OutboxLag(queries, time, logger), "s",
            "Age of the oldest domain event not yet handed to its sinks (0 when none waits)");
    }

    private static double OutboxLag(ReadModelQueries queries, TimeProvider time, ILogger logger)
    {
        try
        {
            var oldest = queries.Run(session =>
            {
                var command = session.Command("SELECT at FROM domain_events WHERE dispatched = 0 ORDER BY seq LIMIT 1");
                return command.ExecuteScalar() as string;
            });
            return oldest is null ? 0 : Math.Max(0, (time.GetUtcNow() - SqlTime.FromText(oldest)).TotalSeconds);
        }
        catch (Exception error) when (error is System.Data.Common.DbException or InvalidOperationException or ObjectDisposedException)
        {
            logger.LogWarning(error, "The outbox lag could not be read");
            return double.NaN;
        }
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
