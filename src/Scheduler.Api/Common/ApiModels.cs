namespace Scheduler.Api.Common;

/// <param name="NextCursor">Give it as <c>cursor</c> (with the same filters and sort) for the page after this one, which
/// rows inserted meanwhile do not shift; null on the last page, and when a search ranks by best match.</param>
public sealed record Pagination(long Total, int Limit, int Offset, bool HasMore, string? NextCursor = null);

public sealed record ListResponse<T>(IReadOnlyList<T> Data, Pagination Pagination)
{
    public static ListResponse<T> From<TSource>(Scheduler.Common.Page<TSource> page, Func<TSource, T> map) =>
        new([.. page.Items.Select(map)], new Pagination(page.Total, page.Limit, page.Offset, page.More ?? page.Offset + page.Items.Count < page.Total, page.Next?.Encode()));
}
