using System.Globalization;
using System.Text;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Scheduler.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Grain storage on either database: every write and clear goes through the <see cref="DatabaseWriter"/>'s group
/// commit, with the rows its change commits beside it (<see cref="CommitRows"/>) in the same transaction; reads go
/// through <see cref="GrainStateReader"/>'s prepared statements. All on the same <c>OrleansStorage</c> rows with the provider's key columns, hashes (its own hash
/// picker), serializer, queries and version check, so the provider reads back exactly what was written, and a store
/// migrated from SQLite to PostgreSQL is read there as it was written.
/// </summary>
internal sealed class SchedulerGrainStorage(
    string adoNetName,
    AdoNetGrainStorageOptions options,
    ClusterOptions cluster,
    DatabaseWriter writer,
    GrainStateReader reader,
    IActivatorProvider activators) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // As the provider reads: no row, or a cleared one, is a fresh state; the version is the row's, if any. A grain
        // activated by the call that creates it, under an id just minted, has nothing stored yet: nothing is read.
        var stored = FreshGrain.IsAnnounced(grainId) ? null : await reader.ReadAsync(KeyOf(stateName, grainId, grainState));
        grainState.State = stored?.Payload is { } payload
            ? options.GrainStorageSerializer.Deserialize<T>(new BinaryData(payload))
            : activators.GetActivator<T>().Create();
        grainState.ETag = stored?.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = stored?.Payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = options.GrainStorageSerializer.Serialize(grainState.State).ToArray();
        grainState.ETag = await Write(stateName, grainId, grainState, payload, "WriteState");
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (string.IsNullOrWhiteSpace(grainState.ETag))
        {
            // Nothing stored, so nothing to clear (as the provider does); the rows still go in.
            grainState.State = activators.GetActivator<T>().Create();
            if (CommitRows.Current is not null)
            {
                throw new InvalidOperationException($"A clear of {stateName} {grainId}, which was never stored, cannot carry rows.");
            }
            return;
        }
        grainState.ETag = await Write(stateName, grainId, grainState, null, "ClearState");
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
    }

    private async Task<string> Write<T>(string stateName, GrainId grainId, IGrainState<T> grainState, byte[]? payload, string operation)
    {
        var expected = string.IsNullOrWhiteSpace(grainState.ETag) ? default(int?) : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var row = new GrainStateRow(KeyOf(stateName, grainId, grainState), expected, payload);
        var version = await writer.Write(row, clear: payload is null, CommitRows.Current)
            ?? throw new InconsistentStateException(
                $"Version conflict ({operation}): ServiceId={cluster.ServiceId} ProviderName={adoNetName} GrainType={stateName} GrainId={grainId} ETag={grainState.ETag}.");
        return version.ToString(CultureInfo.InvariantCulture);
    }

    private GrainStateKey KeyOf<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var hasher = options.HashPicker.PickHasher(cluster.ServiceId, adoNetName, stateName, grainId, grainState)!;
        var key = StorageKey.Of(grainId);
        return new GrainStateKey(hasher.Hash(key.HashBytes), key.N0, key.N1, hasher.Hash(Encoding.UTF8.GetBytes(stateName)), stateName,
            key.Extension, cluster.ServiceId);
    }

    /// <summary>
    /// The ADO.NET storage's key columns for a grain id: a 32-hex-digit key is a GUID (two 64-bit halves), a hex
    /// number an integer, anything else a string; an extension after '+' goes to the extension column. The hash
    /// input is the key's bytes (plus the extension's), reversed on little-endian machines, as the provider does.
    /// </summary>
    internal readonly record struct StorageKey(long N0, long N1, string? Extension, byte[] HashBytes)
    {
        public static StorageKey Of(GrainId grainId)
        {
            byte[] bytes;
            long n0 = 0, n1 = 0;
            string? extension;
            if (grainId.TryGetGuidKey(out var guid, out extension))
            {
                bytes = guid.ToByteArray();
                n0 = BitConverter.ToInt64(bytes, 0);
                n1 = BitConverter.ToInt64(bytes, 8);
            }
            else if (grainId.TryGetIntegerKey(out var integer, out extension))
            {
                n1 = integer;
                bytes = BitConverter.GetBytes(integer);
            }
            else
            {
                extension = grainId.Key.ToString();
                bytes = Encoding.UTF8.GetBytes(extension);
                return new StorageKey(n0, n1, extension, Reversed(bytes));
            }
            if (extension is not null)
            {
                bytes = [.. bytes, .. Encoding.UTF8.GetBytes(extension)];
            }
            return new StorageKey(n0, n1, extension, Reversed(bytes));
        }

        private static byte[] Reversed(byte[] bytes)
        {
            if (BitConverter.IsLittleEndian)
            {
                Array.Reverse(bytes);
            }
            return bytes;
        }
    }
}
