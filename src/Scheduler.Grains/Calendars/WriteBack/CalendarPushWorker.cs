using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Grains.Common;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Calendars;

/// <summary>
/// The write-back sender, on one silo of the cluster at a time (<see cref="WorkerLease"/>, as the webhook sender):
/// every <see cref="CalendarPushOptions.PollSeconds"/> it sends the pushes that are due and records each. A failed one
/// is retried with exponential backoff and jitter, its error shown on the linked calendar (<c>lastPushError</c>); the
/// calendar's busy-time sync is not affected. Log lines name calendars and interviews by id only.
/// </summary>
public sealed partial class CalendarPushWorker(
    SchedulerDatabase database,
    ReadModelQueries queries,
    DatabaseWriter writer,
    CalDavWriter caldav,
    CalendarCredentials credentials,
    IOptions<CalendarPushOptions> options,
    TimeProvider time,
    ILogger<CalendarPushWorker> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int Batch = 100;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private readonly CalendarPushOptions _options = options.Value;
    private readonly WorkerLease _lease = new(database, writer, time, "calendar-push", $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}", LeaseDuration);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(CalendarPushWorker), ServiceLifecycleStage.Active,
        _ =>
        {
            if (_options.Enabled)
            {
                _loop = Task.Run(() => Loop(_stopping.Token));
            }
            return Task.CompletedTask;
        },
        async _ =>
        {
            await _stopping.CancelAsync();
            await _loop;
            try
            {
                await _lease.Release();
            }
            catch (Exception error)
            {
                LogRoundFailed(error);
            }
        });

    // The database unavailable: the pushes stay where they are, and the next round retries.
    private Task Loop(CancellationToken stoppingToken) => PollingLoop.Run(TimeSpan.FromSeconds(Math.Max(0.05, _options.PollSeconds)),
        async token =>
        {
            if (await _lease.TryHold())
            {
                await SendDue(token);
            }
        }, LogRoundFailed, stoppingToken);

    /// <summary>Sends the pushes due now; returns how many were attempted.</summary>
    public async Task<int> SendDue(CancellationToken cancellation)
    {
        var attempted = 0;
        while (!cancellation.IsCancellationRequested)
        {
            var due = await CalendarPushStore.Due(queries, time.GetUtcNow(), Batch);
            if (due.Count == 0)
            {
                break;
            }
            var outcomes = new PushOutcome[due.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, due.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxInFlight), CancellationToken = cancellation },
                async (n, token) => outcomes[n] = await Attempt(due[n], token));
            var at = time.GetUtcNow();
            await writer.Run(session =>
            {
                for (var n = 0; n < due.Count; n++)
                {
                    if (outcomes[n].Succeeded)
                    {
                        CalendarPushStore.Succeeded(session, due[n], outcomes[n].ETag, at);
                    }
                    else
                    {
                        CalendarPushStore.Failed(session, due[n], outcomes[n].Error ?? "The push failed.", at, at + Backoff(due[n].Attempts + 1));
                    }
                }
                return due.Count;
            });
            attempted += due.Count;
            if (due.Count < Batch)
            {
                break;
            }
        }
        return attempted;
    }

    private async Task<PushOutcome> Attempt(DuePush push, CancellationToken cancellation)
    {
        try
        {
            var outcome = await caldav.Push(push, credentials.Read(push.Credential), cancellation);
            if (outcome.Succeeded)
            {
                LogPushed(push.Op, push.InterviewId, push.Version, push.CalendarId);
            }
            else
            {
                LogFailed(push.Op, push.InterviewId, push.CalendarId, push.Attempts + 1, outcome.Error);
            }
            return outcome;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            var reason = CalendarSync.Describe(error);
            LogFailed(push.Op, push.InterviewId, push.CalendarId, push.Attempts + 1, reason);
            return new PushOutcome(false, null, reason);
        }
    }

    // Exponential from FirstRetrySeconds, at most MaxRetrySeconds, with full jitter over its upper half.
    private TimeSpan Backoff(int attempts)
    {
        var ceiling = Math.Min(_options.MaxRetrySeconds, _options.FirstRetrySeconds * Math.Pow(2, Math.Min(30, attempts - 1)));
        return TimeSpan.FromSeconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A calendar write-back round failed; it is retried")]
    private partial void LogRoundFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Calendar write-back: {Op} of interview {InterviewId} (version {Version}) to calendar {CalendarId}")]
    private partial void LogPushed(string op, string interviewId, long version, string calendarId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Calendar write-back: {Op} of interview {InterviewId} to calendar {CalendarId} failed (attempt {Attempts}): {Reason}")]
    private partial void LogFailed(string op, string interviewId, string calendarId, int attempts, string? reason);
}
