using System.Threading.Channels;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Group commit: callers queue work and await it; one dedicated thread takes everything queued at that moment
/// (up to a batch limit) and commits it in one go, so a database's write lock and sync are paid once per batch
/// and blocking I/O never runs on an Orleans scheduler thread.
/// </summary>
public abstract class BatchWriter<TItem> : IDisposable
{
    private readonly Channel<TItem> _queue = Channel.CreateUnbounded<TItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private readonly int _maxBatch;

    protected BatchWriter(string threadName, int maxBatch)
    {
        _maxBatch = maxBatch;
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>False once the writer is disposed.</summary>
    protected bool Enqueue(TItem item) => _queue.Writer.TryWrite(item);

    /// <summary>Commits <paramref name="batch"/> and completes its items; runs on the writer's thread.</summary>
    protected abstract void Commit(List<TItem> batch);

    /// <summary>Releases the writer's connection; runs on the writer's thread once the queue is drained.</summary>
    protected abstract void Close();

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join(TimeSpan.FromSeconds(10));
        GC.SuppressFinalize(this);
    }

    private void Run()
    {
        var batch = new List<TItem>(_maxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            Commit(batch);
            batch.Clear();
        }
        Close();
    }
}
