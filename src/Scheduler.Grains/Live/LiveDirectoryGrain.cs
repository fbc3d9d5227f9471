using Scheduler.Live;

namespace Scheduler.Grains.Live;

/// <summary>
/// The silos that have live listeners, as each last said (<see cref="ILiveDirectoryGrain"/>). Held in memory only: a
/// silo syncs every <see cref="LiveSilo.SyncInterval"/>, so a directory lost with its silo is rebuilt within that, and
/// a silo that stopped syncing (it died) is dropped after <see cref="Expiry"/>. A change of the list is pushed to
/// every silo, so that a new listener's silo is poked from the next commit on.
/// </summary>
public sealed class LiveDirectoryGrain(TimeProvider time) : Grain, ILiveDirectoryGrain
{
    private static readonly TimeSpan Expiry = LiveSilo.SyncInterval * 3.5;

    private readonly Dictionary<ILiveSiloObserver, DateTimeOffset> _silos = [];
    private readonly HashSet<ILiveSiloObserver> _listening = [];

    public Task<ILiveSiloObserver[]> Sync(ILiveSiloObserver silo, bool listening)
    {
        var now = time.GetUtcNow();
        _silos[silo] = now;
        var changed = listening ? _listening.Add(silo) : _listening.Remove(silo);
        foreach (var gone in _silos.Where(s => now - s.Value > Expiry).Select(s => s.Key).ToArray())
        {
            _silos.Remove(gone);
            changed |= _listening.Remove(gone);
        }
        ILiveSiloObserver[] list = [.. _listening];
        if (changed)
        {
            foreach (var other in _silos.Keys.Where(s => !s.Equals(silo)))
            {
                // One-way: a dead silo's reference costs nothing here.
                _ = other.Listening(list);
            }
        }
        return Task.FromResult(list);
    }
}
