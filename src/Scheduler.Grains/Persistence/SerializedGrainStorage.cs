using Orleans.Storage;

namespace Scheduler.Grains.Persistence;

/// <summary>The ADO.NET grain storage with its writes passed through the database's write gate (SQLite: one writer).</summary>
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
