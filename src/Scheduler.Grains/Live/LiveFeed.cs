using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Grains.Persistence;
using Scheduler.Live;

namespace Scheduler.Grains.Live;

/// <summary>
/// This silo's live feed (<see cref="ILiveFeed"/>): while it has listeners, it reads the outbox (<c>domain_events</c>)
/// by position and hands every change, in order, to each listener. A commit on this silo wakes it at once and pokes
/// the other silos with listeners (<see cref="LiveSilo"/>), which read at once too; a poll every
/// <see cref="LiveOptions.PollMilliseconds"/> covers a poke lost with a silo. Without listeners it reads nothing and
/// pokes no one. The outbox is the one stream: a resuming listener replays it from its position.
/// </summary>
public sealed partial class LiveFeed : ILiveFeed, ILifecycleParticipant<ISiloLifecycle>
{
    private const int ReadBatch = 500;

    private readonly ReadModelQueries _queries;
    private readonly LiveOptions _options;
    private readonly ILogger<LiveFeed> _logger;
    private readonly LiveSilo _silo;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Listener[] _listeners = [];
    private long _head;
    private long? _gapSince;
    private Task _loop = Task.CompletedTask;
    private Task _link = Task.CompletedTask;

    public LiveFeed(ReadModelQueries queries, IGrainFactory grains, IOptions<LiveOptions> options, ILogger<LiveFeed> logger)
    {
        _queries = queries;
        _options = options.Value;
        _logger = logger;
        _silo = new LiveSilo(grains, Wake, logger);
    }

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(LiveFeed), ServiceLifecycleStage.Active,
        _ =>
        {
            _loop = Task.Run(() => Loop(_stopping.Token));
            _link = Task.Run(() => _silo.Run(_stopping.Token));
            return Task.CompletedTask;
        },
        async _ =>
        {
            await _stopping.CancelAsync();
            await Task.WhenAll(_loop, _link);
        });

    /// <summary>A change was committed on this silo: read it now, here and on the other silos with listeners.</summary>
    public void Published()
    {
        if (_listeners.Length > 0)
        {
            Wake();
        }
        _silo.PokeOthers();
    }

    public async IAsyncEnumerable<LiveItem> Follow(long? after, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var skipUpTo = after ?? 0;
        var resume = after;
        while (!cancellation.IsCancellationRequested)
        {
            var (listener, head) = await Join(cancellation);
            try
            {
                if (resume is { } position)
                {
                    resume = null;
                    if (position > head && position > await LiveEvents.Head(_queries))
                    {
                        // Not a position of this database (or not yet committed anywhere): what it saw is unknown.
                        yield return LiveItem.Resync(head);
                    }
                    else if (position < head)
                    {
                        var missed = await LiveEvents.Between(_queries, position, head, _options.ReplayLimit + 1);
                        if (missed.Count > _options.ReplayLimit)
                        {
                            yield return LiveItem.Resync(head);
                        }
                        else
                        {
                            foreach (var change in missed)
                            {
                                yield return new LiveItem(change.Position, change);
                            }
                        }
                    }
                }
                await foreach (var change in listener.Changes.Reader.ReadAllAsync(cancellation))
                {
                    if (change.Position > skipUpTo)
                    {
                        yield return new LiveItem(change.Position, change);
                    }
                }
            }
            finally
            {
                Leave(listener);
            }
            // The listener fell so far behind that it was dropped: it starts again from now, after a resync.
            yield return LiveItem.Resync(Volatile.Read(ref _head));
            skipUpTo = 0;
        }
    }

    private async Task<(Listener Listener, long Head)> Join(CancellationToken cancellation)
    {
        var listener = new Listener(Channel.CreateBounded<LiveChange>(new BoundedChannelOptions(_options.ListenerBuffer) { SingleReader = true }));
        bool first;
        long head;
        await _reading.WaitAsync(cancellation);
        try
        {
            if (_listeners.Length == 0)
            {
                // Nothing was read while no one listened: start from what is committed now.
                _head = await LiveEvents.Head(_queries);
                _gapSince = null;
            }
            lock (_gate)
            {
                first = _listeners.Length == 0;
                _listeners = [.. _listeners, listener];
            }
            head = _head;
        }
        finally
        {
            _reading.Release();
        }
        if (first)
        {
            _silo.SetListening(true);
            Wake();
        }
        return (listener, head);
    }

    private void Leave(Listener listener)
    {
        bool last;
        lock (_gate)
        {
            var before = _listeners.Length;
            _listeners = [.. _listeners.Where(l => l != listener)];
            last = before > 0 && _listeners.Length == 0;
        }
        if (last)
        {
            _silo.SetListening(false);
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task Loop(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var waitForGap = false;
            try
            {
                waitForGap = await ReadNew();
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                LogReadFailed(error);
            }
            var interval = waitForGap ? TimeSpan.FromMilliseconds(20)
                : _listeners.Length > 0 ? TimeSpan.FromMilliseconds(Math.Max(10, _options.PollMilliseconds))
                : Timeout.InfiniteTimeSpan;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(interval);
            try
            {
                await _wake.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                // the poll interval passed
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // Hands out what was committed after the head, in order; true when it stopped at a hole that may yet fill.
    private async Task<bool> ReadNew()
    {
        await _reading.WaitAsync();
        try
        {
            while (_listeners.Length > 0)
            {
                var changes = await LiveEvents.Between(_queries, _head, long.MaxValue, ReadBatch);
                foreach (var change in changes)
                {
                    if (change.Position != _head + 1)
                    {
                        var now = Environment.TickCount64;
                        _gapSince ??= now;
                        if (now - _gapSince < _options.GapMilliseconds)
                        {
                            return true;
                        }
                        LogGapPassed(_head + 1, change.Position - 1);
                    }
                    _gapSince = null;
                    Volatile.Write(ref _head, change.Position);
                    Deliver(change);
                }
                if (changes.Count < ReadBatch)
                {
                    break;
                }
            }
            return false;
        }
        finally
        {
            _reading.Release();
        }
    }

    private void Deliver(LiveChange change)
    {
        foreach (var listener in _listeners)
        {
            if (!listener.Changes.Writer.TryWrite(change))
            {
                // It does not keep up: dropped, it hears a resync and starts again (Follow).
                listener.Changes.Writer.TryComplete();
                Leave(listener);
            }
        }
    }

    private sealed record Listener(Channel<LiveChange> Changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed read failed; retried")]
    private partial void LogReadFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live feed passed over positions {From}..{To}, never committed")]
    private partial void LogGapPassed(long from, long to);
}
