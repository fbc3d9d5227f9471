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
    Func<CancellationToken, Task> round, Action<Exception> roundFailed)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private readonly WorkerLease _lease = new(database, writer, time, name, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}", LeaseDuration);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle, string observerName) => lifecycle.Subscribe(observerName, ServiceLifecycleStage.Active,
        _ =>
        {
            _loop = Task.Run(() => PollingLoop.Run(poll, async token =>
            {
                if (await _lease.TryHold())
                {
                    await round(token);
                }
            }, roundFailed, _stopping.Token));
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
}
