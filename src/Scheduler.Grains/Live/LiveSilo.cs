using Microsoft.Extensions.Logging;
using Scheduler.Live;

namespace Scheduler.Grains.Live;

/// <summary>
/// This silo's link to the others for live updates: an Orleans observer the directory (<see cref="ILiveDirectoryGrain"/>)
/// lists while this silo has listeners, poked by a silo that committed a change; and the list of silos to poke after a
/// commit here. No Redis or other backplane: Orleans carries a poke, and each silo reads what changed from the outbox.
/// </summary>
internal sealed partial class LiveSilo(IGrainFactory grains, Action wake, ILogger logger) : ILiveSiloObserver
{
    public static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _syncing = new(1, 1);
    private ILiveSiloObserver? _self;
    private volatile ILiveSiloObserver[] _others = [];
    private volatile bool _listening;

    public async Task Run(CancellationToken stopping)
    {
        // Held here (the runtime keeps only a weak reference to an observer).
        _self = grains.CreateObjectReference<ILiveSiloObserver>(this);
        while (!stopping.IsCancellationRequested)
        {
            await Sync();
            try
            {
                await Task.Delay(SyncInterval, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        _listening = false;
        await Sync();
        grains.DeleteObjectReference<ILiveSiloObserver>(_self);
    }

    /// <summary>This silo gained its first listener or lost its last.</summary>
    public void SetListening(bool listening)
    {
        _listening = listening;
        _ = Sync();
    }

    /// <summary>A change was committed here: the other silos with listeners read the outbox now.</summary>
    public void PokeOthers()
    {
        foreach (var silo in _others)
        {
            try
            {
                _ = silo.Poke();
            }
            catch (Exception error)
            {
                LogPokeFailed(error);
            }
        }
    }

    public Task Poke()
    {
        wake();
        return Task.CompletedTask;
    }

    public Task Listening(ILiveSiloObserver[] silos)
    {
        _others = Others(silos);
        return Task.CompletedTask;
    }

    private async Task Sync()
    {
        if (_self is not { } self)
        {
            return;
        }
        await _syncing.WaitAsync();
        try
        {
            _others = Others(await grains.GetGrain<ILiveDirectoryGrain>(0).Sync(self, _listening));
        }
        catch (Exception error)
        {
            // The directory's silo is going or gone; the next sync finds it again, and the poll covers the gap.
            LogSyncFailed(error);
        }
        finally
        {
            _syncing.Release();
        }
    }

    private ILiveSiloObserver[] Others(ILiveSiloObserver[] silos) => [.. silos.Where(s => !s.Equals(_self))];

    [LoggerMessage(Level = LogLevel.Information, Message = "Live directory sync failed; retried")]
    private partial void LogSyncFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live poke failed")]
    private partial void LogPokeFailed(Exception error);
}
