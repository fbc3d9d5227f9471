namespace Scheduler.Common;

[GenerateSerializer, Immutable]
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Limit, int Offset);
