using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Grains.Interviewers;
using Scheduler.Grains.Outbound;
using Scheduler.Grains.Persistence;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Calendars;

/// <summary>
/// Syncs one linked calendar: fetch, read its busy time, hand the blocks to the interviewer's grain, record how it
/// went. A failure keeps the last known blocks (their age is <c>lastSyncedAt</c>), records the error and backs off;
/// it never reaches the other calendars. Log lines name the calendar by id only: never its URL or credential.
/// </summary>
public sealed partial class CalendarSync(
    CalendarFetcher fetcher,
    CalendarCredentials credentials,
    ReadModelQueries queries,
    DatabaseWriter writer,
    IGrainFactory grains,
    IOptions<CalendarSyncOptions> options,
    TimeProvider time,
    ILogger<CalendarSync> logger)
{
    private readonly CalendarSyncOptions _options = options.Value;

    /// <summary>Syncs the calendar; false when it is not linked (any more).</summary>
    public async Task<bool> Sync(string calendarId, CancellationToken cancellationToken)
    {
        if (await LinkedCalendarStore.Target(queries, calendarId) is not { } target)
        {
            return false;
        }
        var started = time.GetUtcNow();
        try
        {
            var interviewer = grains.GetGrain<IInterviewerGrain>(target.InterviewerId);
            var zone = CalendarRules.Zone((await interviewer.Get())?.Timezone ?? "UTC");
            var from = started.AddDays(-1);
            var to = started.AddDays(_options.WindowDays);
            var fetched = await fetcher.Fetch(target, credentials.Read(target.Credential), from, to, cancellationToken);
            int? busyCount = null;
            if (!fetched.Unchanged)
            {
                var blocks = BusyTime.Read(fetched.Objects, zone, from, to, _options.MaxBlocks);
                await interviewer.SetBusy(target.Id, blocks, started);
                busyCount = blocks.Count;
            }
            await LinkedCalendarStore.Succeeded(writer, target.Id, started, busyCount, fetched.VersionTag, Next(started, 0));
            LogSynced(target.Id, busyCount ?? -1);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failures = target.Failures + 1;
            LogFailed(target.Id, failures, Describe(error));
            await LinkedCalendarStore.Failed(writer, target.Id, started, Describe(error), failures, Next(started, failures));
            return true;
        }
    }

    /// <summary>When to sync next: the interval spread by up to a fifth, doubled per failure up to the longest wait.</summary>
    public DateTimeOffset Next(DateTimeOffset now, int failures)
    {
        var interval = TimeSpan.FromMinutes(_options.IntervalMinutes);
        var wait = failures == 0
            ? interval
            : TimeSpan.FromMinutes(Math.Min(_options.MaxBackoffMinutes, _options.IntervalMinutes * Math.Pow(2, Math.Min(failures, 20))));
        return now + wait + (interval / 5 * Random.Shared.NextDouble());
    }

    // What the user sees in lastError: the kind of failure, never a header or a credential.
    internal static string Describe(Exception error) => error switch
    {
        HttpRequestException { InnerException: OutboundRefusedException refused } => refused.Message,
        OutboundRefusedException refused => refused.Message,
        OutboundTooLargeException tooLarge => tooLarge.Message,
        HttpRequestException http => http.StatusCode is { } status ? $"The calendar server answered {(int)status}." : "The calendar server could not be reached.",
        TaskCanceledException or TimeoutException => "The calendar server did not answer in time.",
        System.Xml.XmlException => "The CalDAV answer is not valid XML.",
        InvalidDataException or FormatException or ArgumentException => $"The calendar data could not be read: {Trim(error.Message)}",
        Orleans.Runtime.OrleansException => "The busy times could not be stored; the sync is retried.",
        _ => $"The calendar could not be synced ({error.GetType().Name}).",
    };

    private static string Trim(string text) => text.Length <= 300 ? text : text[..300];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Linked calendar {CalendarId} synced ({BusyCount} busy blocks; -1: unchanged)")]
    private partial void LogSynced(string calendarId, int busyCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linked calendar {CalendarId} failed to sync ({Failures} in a row): {Reason}")]
    private partial void LogFailed(string calendarId, int failures, string reason);
}
