using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Grains.Common;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Calendars;

/// <summary>
/// The write-back sender, on one silo of the cluster at a time (<see cref="LeasedLoop"/>, as the webhook sender):
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

    private readonly CalendarPushOptions _options = options.Value;

    // The database unavailable: the pushes stay where they are, and the next round retries.
    public void Participate(ISiloLifecycle lifecycle)
    {
        if (_options.Enabled)
        {
            new LeasedLoop(database, writer, time, "calendar-push", TimeSpan.FromSeconds(Math.Max(0.05, _options.PollSeconds)), SendDue, LogRoundFailed)
                .Participate(lifecycle, nameof(CalendarPushWorker));
        }
    }

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

    private TimeSpan Backoff(int attempts) => RetryBackoff.Jittered(attempts, _options.FirstRetrySeconds, _options.MaxRetrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A calendar write-back round failed; it is retried")]
    private partial void LogRoundFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Calendar write-back: {Op} of interview {InterviewId} (version {Version}) to calendar {CalendarId}")]
    private partial void LogPushed(string op, string interviewId, long version, string calendarId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Calendar write-back: {Op} of interview {InterviewId} to calendar {CalendarId} failed (attempt {Attempts}): {Reason}")]
    private partial void LogFailed(string op, string interviewId, string calendarId, int attempts, string? reason);
}
