
namespace Scheduler.Grains.Persistence;

/// <summary>A grain-state row as read: its payload (null once cleared) and version.</summary>
internal readonly record struct StoredGrainState(byte[]? Payload, int Version);
