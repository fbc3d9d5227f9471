using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Grains.Common;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Calendars;

/// <summary>
/// Background sync of linked calendars on every silo: each poll takes the calendars whose sync is due, and claims
/// each one with a conditional update of its <c>next_sync_at</c> (<see cref="LinkedCalendarStore.Claim"/>), so a
/// calendar is synced once per interval across the cluster, by whichever silo claimed it; a silo that dies mid-sync
/// leaves the claim to run out and another takes the calendar. Calendars sync side by side, each failing alone.
/// </summary>
public sealed partial class CalendarSyncWorker(
    CalendarSync sync,
    ReadModelQueries queries,
    DatabaseWriter writer,
    IOptions<CalendarSyncOptions> options,
    TimeProvider time,
    ILogger<CalendarSyncWorker> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    // Long enough for a sync's requests (two, each bounded by the outbound timeout) and its writes.
    private static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(2);

    private readonly CalendarSyncOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private long _rounds;

    /// <summary>Rounds this silo has finished (for tests and diagnostics).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(CalendarSyncWorker), ServiceLifecycleStage.Active,
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
        });

    /// <summary>Syncs the calendars that are due and that this silo claims; returns how many it synced.</summary>
    public async Task<int> Round(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await LinkedCalendarStore.Due(queries, now, 100);
        var synced = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallel), CancellationToken = cancellationToken },
            async (id, token) =>
            {
                if (await LinkedCalendarStore.Claim(writer, id, now, now + ClaimDuration) && await sync.Sync(id, token))
                {
                    Interlocked.Increment(ref synced);
                }
            });
        return synced;
    }

    // The database unavailable: the calendars stay due, and the next round tries again.
    private Task Loop(CancellationToken stoppingToken) => PollingLoop.Run(TimeSpan.FromSeconds(Math.Max(0.05, _options.PollSeconds)),
        async token =>
        {
            await Round(token);
            Interlocked.Increment(ref _rounds);
        }, LogRoundFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A calendar sync round failed")]
    private partial void LogRoundFailed(Exception error);
}
