using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Audit;
using Scheduler.Grains.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Webhooks;

/// <summary>
/// The webhook sender, on one silo of the cluster at a time (<see cref="LeasedLoop"/>): every
/// <see cref="WebhookOptions.PollSeconds"/> it sends the deliveries that are due, at most
/// <see cref="WebhookOptions.MaxInFlight"/> at a time, and records each attempt. A failed one is retried with
/// exponential backoff and jitter for <see cref="WebhookOptions.GiveUpAfterHours"/>, then given up; a subscription
/// whose attempts have all failed for that long is disabled (audited, counted). A delivery sent again because the silo
/// died before recording it carries the same <c>webhook-id</c>, so receivers can drop the repeat.
/// </summary>
public sealed partial class WebhooksWorker(
    SchedulerDatabase database,
    ReadModelQueries queries,
    DatabaseWriter writer,
    WebhookSender sender,
    WebhookTelemetry telemetry,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhooksWorker> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int Batch = 100;

    private readonly WebhookOptions _options = options.Value;

    // The database unavailable: the deliveries stay where they are, and the next round retries.
    public void Participate(ISiloLifecycle lifecycle) =>
        new LeasedLoop(database, writer, time, "webhooks", TimeSpan.FromSeconds(Math.Max(0.05, options.Value.PollSeconds)), SendDue, LogRoundFailed).Participate(lifecycle, nameof(WebhooksWorker));

    /// <summary>Sends the deliveries due now; returns how many were attempted.</summary>
    public async Task<int> SendDue(CancellationToken cancellation)
    {
        var attempted = 0;
        while (!cancellation.IsCancellationRequested)
        {
            var due = await WebhookDeliveries.Due(queries, time.GetUtcNow(), Batch);
            if (due.Count == 0)
            {
                break;
            }
            var outcomes = new AttemptOutcome[due.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, due.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxInFlight), CancellationToken = cancellation },
                async (n, token) => outcomes[n] = await Attempt(due[n], token));
            var disabled = await writer.Run(session => outcomes.Count(outcome => Record(session, outcome)));
            for (var n = 0; n < disabled; n++)
            {
                telemetry.Disabled();
            }
            attempted += due.Count;
            if (due.Count < Batch)
            {
                break;
            }
        }
        return attempted;
    }

    private async Task<AttemptOutcome> Attempt(DueDelivery delivery, CancellationToken cancellation)
    {
        var links = ActivityContext.TryParse(delivery.TraceParent, null, out var change) ? new[] { new ActivityLink(change) } : null;
        using var span = SchedulerTelemetry.ActivitySource.StartActivity("webhook send", ActivityKind.Producer, parentContext: default, links: links);
        span?.SetTag("webhook.id", delivery.WebhookId);
        span?.SetTag("webhook.delivery", delivery.Id);
        span?.SetTag("webhook.type", delivery.EventType);
        var outcome = await sender.Send(delivery, cancellation);
        if (!outcome.Succeeded)
        {
            span?.SetStatus(ActivityStatusCode.Error, outcome.Error);
        }
        return outcome;
    }

    // Records one attempt; true when it disabled its subscription.
    private bool Record(ReadModelSession session, AttemptOutcome outcome)
    {
        var delivery = outcome.Delivery;
        var giveUpAfter = TimeSpan.FromHours(_options.GiveUpAfterHours);
        if (outcome.Succeeded)
        {
            WebhookDeliveries.Record(session, outcome, null);
            WebhookStore.Succeeded(session, delivery.WebhookId);
            telemetry.Delivered(outcome.At - delivery.CreatedAt);
            return false;
        }
        var retryAt = outcome.At + Backoff(delivery.Attempts + 1);
        var dead = retryAt - delivery.RetryingSince > giveUpAfter;
        WebhookDeliveries.Record(session, outcome, dead ? null : retryAt);
        WebhookStore.Failed(session, delivery.WebhookId, outcome.At);
        if (dead)
        {
            telemetry.Dead();
            LogDead(delivery.Id, delivery.WebhookId, delivery.Attempts + 1, outcome.Error);
        }
        else
        {
            telemetry.Failed();
        }
        if (delivery.Target.FailingSince is not { } since || outcome.At - since < giveUpAfter
            || WebhookStore.Disable(session, delivery.WebhookId, outcome.At) is not { } version)
        {
            return false;
        }
        WebhooksGrain.Audit(session, delivery.WebhookId, version, AuditActions.Disabled,
            new Grains.Audit.ChangeSet().Field("enabled", "true", "false").Field("reason", null, $"Every attempt failed since {since:O}.").ToJson(), outcome.At);
        WebhookDeliveries.GiveUp(session, delivery.WebhookId, "The webhook was disabled after failing for the whole retry period.");
        LogDisabled(delivery.WebhookId, since);
        return true;
    }

    private TimeSpan Backoff(int attempts) => RetryBackoff.Jittered(attempts, _options.FirstRetrySeconds, _options.MaxRetrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook round failed; it is retried")]
    private partial void LogRoundFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {Id} to {WebhookId} is given up after {Attempts} attempts: {Reason}")]
    private partial void LogDead(string id, string webhookId, int attempts, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} is disabled: every attempt has failed since {Since}")]
    private partial void LogDisabled(string webhookId, DateTimeOffset since);
}
