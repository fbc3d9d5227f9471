using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Grains.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;
using Scheduler.Notifications;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// The outbox's dispatcher and the email sender, on one silo of the cluster at a time (<see cref="LeasedLoop"/>).
/// Every <see cref="EmailOptions.PollSeconds"/>: hand each undispatched domain event to the sinks (<see cref="IDomainEventSink"/>; email: the
/// messages it implies, <see cref="EmailPlanner"/>) and mark it dispatched in the same transaction as the rows they
/// wrote, so a crash before that delivers later and a crash after it has everything queued; then send the messages
/// that are due, at most <see cref="EmailOptions.MaxConnections"/> at a time, each recorded once the SMTP server
/// accepted it. A message sent again because the silo died before recording it carries the same Message-ID.
/// </summary>
public sealed partial class NotificationsWorker(
    SchedulerDatabase database,
    ReadModelQueries queries,
    DatabaseWriter writer,
    IEnumerable<IDomainEventSink> sinks,
    EmailComposer composer,
    SmtpDelivery smtp,
    NotificationTelemetry telemetry,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<NotificationsWorker> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int DispatchBatch = 200;
    private readonly EmailOptions _options = options.Value;
    private readonly IDomainEventSink[] _sinks = [.. sinks];

    // The database or the SMTP server unavailable: the work stays where it is, and the next round retries.
    public void Participate(ISiloLifecycle lifecycle) =>
        new LeasedLoop(database, writer, time, "notifications", TimeSpan.FromSeconds(Math.Max(0.05, options.Value.PollSeconds)), async token =>
        {
            await Dispatch(token);
            if (_options.Enabled)
            {
                await SendDue(token);
            }
        }, LogRoundFailed).Participate(lifecycle, nameof(NotificationsWorker));

    /// <summary>Dispatches every pending domain event; returns how many.</summary>
    public async Task<int> Dispatch(CancellationToken cancellation)
    {
        var total = 0;
        while (!cancellation.IsCancellationRequested)
        {
            var pending = await DomainEvents.Pending(queries, DispatchBatch);
            if (pending.Count == 0)
            {
                break;
            }
            var rows = new List<IReadModelChange>();
            var queued = 0;
            var round = new DispatchRound();
            foreach (var change in pending)
            {
                var planned = new List<IReadModelChange>();
                try
                {
                    foreach (var sink in _sinks)
                    {
                        planned.AddRange(await sink.Plan(change, round));
                    }
                }
                catch (System.Text.Json.JsonException error)
                {
                    // An event whose data cannot be read never will be: it is passed over (and logged) rather than
                    // hold up every event behind it. Any other failure (the database) fails the round, which retries.
                    LogUnreadable(error, change.Seq);
                    planned.Clear();
                }
                queued += planned.Count(NotificationStore.IsQueued);
                rows.AddRange(planned);
            }
            rows.Add(DomainEvents.Dispatched([.. pending.Select(change => change.Seq)]));
            await Write(rows);
            telemetry.Queued(queued);
            total += pending.Count;
            if (pending.Count < DispatchBatch)
            {
                break;
            }
        }
        return total;
    }

    /// <summary>Sends the messages due now; returns how many were attempted.</summary>
    public async Task<int> SendDue(CancellationToken cancellation)
    {
        var attempted = 0;
        while (!cancellation.IsCancellationRequested)
        {
            var due = await NotificationStore.Due(queries, time.GetUtcNow(), 100);
            if (due.Count == 0)
            {
                break;
            }
            var outcomes = new IReadModelChange[due.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, due.Count),
                new ParallelOptions { MaxDegreeOfParallelism = smtp.MaxInFlight, CancellationToken = cancellation },
                async (n, token) => outcomes[n] = await Deliver(due[n], token));
            await Write(outcomes);
            attempted += due.Count;
            if (due.Count < 100)
            {
                break;
            }
        }
        return attempted;
    }

    // Rows of one round, in one transaction.
    private Task Write(IReadOnlyList<IReadModelChange> rows) => writer.Apply(rows);

    private async Task<IReadModelChange> Deliver(DueNotification notification, CancellationToken cancellation)
    {
        var links = ActivityContext.TryParse(notification.TraceParent, null, out var change) ? new[] { new ActivityLink(change) } : null;
        using var span = SchedulerTelemetry.ActivitySource.StartActivity("notification send", ActivityKind.Client, parentContext: default, links: links);
        span?.SetTag("notification.id", notification.Id);
        span?.SetTag("notification.kind", notification.Kind);
        var attempts = notification.Attempts + 1;
        try
        {
            var data = System.Text.Json.JsonSerializer.Deserialize(notification.DataJson, NotificationJson.Default.NotificationData)
                ?? throw new InvalidOperationException($"Notification {notification.Id} has no data.");
            // A reminder that comes due late (the service was down) is not sent once its interview has started.
            if (notification.Kind == NotificationKinds.Reminder && data.Event.Slot.StartsAt <= time.GetUtcNow())
            {
                return NotificationStore.NotSent(notification.Id, NotificationStatuses.Skipped, notification.Attempts, null,
                    "The interview had started when the reminder came due.");
            }
            await smtp.Send(composer.Compose(notification, data), cancellation);
            telemetry.Sent(time.GetUtcNow() - notification.DueAt);
            return NotificationStore.Sent(notification.Id, attempts, time.GetUtcNow());
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            span?.SetStatus(ActivityStatusCode.Error, error.Message);
            var reason = $"{error.GetType().Name}: {error.Message}";
            if (attempts >= _options.MaxAttempts)
            {
                telemetry.Dead();
                LogDead(notification.Id, attempts, reason);
                return NotificationStore.NotSent(notification.Id, NotificationStatuses.Dead, attempts, null, reason);
            }
            telemetry.Failed();
            return NotificationStore.NotSent(notification.Id, NotificationStatuses.Failed, attempts, time.GetUtcNow() + Backoff(attempts), reason);
        }
    }

    // From 5 s to at most an hour.
    private static TimeSpan Backoff(int attempts) => RetryBackoff.Jittered(attempts, 5, 3600);

    [LoggerMessage(Level = LogLevel.Error, Message = "Domain event {Seq} cannot be read; its sinks pass it over")]
    private partial void LogUnreadable(Exception error, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification round failed; it is retried")]
    private partial void LogRoundFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id} is dead after {Attempts} attempts: {Reason}")]
    private partial void LogDead(string id, int attempts, string reason);
}
