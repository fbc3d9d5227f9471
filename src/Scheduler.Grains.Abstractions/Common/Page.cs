namespace Scheduler.Common;

/// <param name="Next">Where the next page starts, when there is one and the list's order is a key order.</param>
/// <param name="More">Whether rows follow this page; null: as <see cref="Total"/> says after the offset.</param>
[GenerateSerializer, Immutable]
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Limit, int Offset, PageCursor? Next = null, bool? More = null);
