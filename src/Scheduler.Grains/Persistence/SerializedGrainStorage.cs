using System.Collections.Concurrent;
using Orleans.Storage;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// One writer at a time per SQLite file within this process. SQLite admits a single writer; without this,
/// concurrent grain writes collide on the lock and Microsoft.Data.Sqlite retries a busy statement only every
/// 150 ms, which is what dominated write latency. Readers are not gated (WAL readers never block).
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static SemaphoreSlim For(string databaseFile) => Gates.GetOrAdd(databaseFile, _ => new SemaphoreSlim(1, 1));
}

/// <summary>The ADO.NET grain storage with its writes passed through the file's <see cref="SqliteWriteGate"/>.</summary>
internal sealed class SerializedGrainStorage(IGrainStorage inner, SemaphoreSlim gate) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await gate.WaitAsync();
        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await gate.WaitAsync();
        try
        {
            await inner.ClearStateAsync(stateName, grainId, grainState);
        }
        finally
        {
            gate.Release();
        }
    }
}
