using Scheduler.Grains.Notifications;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Common;

/// <summary>
/// A background worker's life on a silo: from when the silo is active (the schema exists, start-up recovery is done)
/// until it stops, a round every <c>poll</c> (<see cref="PollingLoop"/>) while this silo holds the worker's
/// cluster-wide lease (<see cref="WorkerLease"/>, so one silo at a time runs it), the lease let go on stopping.
/// </summary>
public sealed class LeasedLoop(
    SchedulerDatabase database, DatabaseWriter writer, TimeProvider time, string name, TimeSpan poll,
    Func<CancellationToken, Task> round, Action<Exception> roundFailed, TimeSpan? leaseDuration = null)
{
    private readonly WorkerLease _lease = new(database, writer, time, name, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}",
        leaseDuration ?? TimeSpan.FromSeconds(30));
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle, string observerName) => lifecycle.Subscribe(observerName, ServiceLifecycleStage.Active,
        _ =>
        {
            _loop = Task.Run(() => PollingLoop.Run(poll, RoundIfHeld, roundFailed, _stopping.Token));
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
                roundFailed(error);
            }
        });

    /// <summary>
    /// One round, if this silo holds the lease. A round may outlast the lease (a batch of slow sends), so the lease is
    /// renewed every third of its duration while the round runs; if it could not be (another silo took it after this
    /// one stalled, or the database did not answer), the round is cancelled, so that two silos do not send the same rows.
    /// </summary>
    internal async Task RoundIfHeld(CancellationToken stopping)
    {
        if (!await _lease.TryHold())
        {
            return;
        }
        using var held = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var work = round(held.Token);
        var lost = false;
        while (!work.IsCompleted)
        {
            if (await Task.WhenAny(work, Task.Delay(_lease.Duration / 3, time, stopping)) == work || stopping.IsCancellationRequested)
            {
                break;
            }
            try
            {
                lost = !await _lease.TryHold();
            }
            catch (Exception error)
            {
                roundFailed(error);
                lost = true;
            }
            if (lost)
            {
                await held.CancelAsync();
                break;
            }
        }
        try
        {
            await work;
        }
        catch (OperationCanceledException) when (lost && !stopping.IsCancellationRequested)
        {
            // stopped because the lease was lost: the holder runs the next rounds
        }
    }
}
