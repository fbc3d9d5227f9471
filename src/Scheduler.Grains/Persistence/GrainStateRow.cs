
namespace Scheduler.Grains.Persistence;

/// <summary>One grain-state row to write with the storage's optimistic upsert (its parameters, as the provider binds them); no payload clears it.</summary>
internal sealed record GrainStateRow(GrainStateKey Key, int? GrainStateVersion, byte[]? PayloadBinary);
