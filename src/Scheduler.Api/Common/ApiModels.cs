namespace Scheduler.Api.Common;

public sealed record Pagination(long Total, int Limit, int Offset, bool HasMore);

public sealed record ListResponse<T>(IReadOnlyList<T> Data, Pagination Pagination)
{
    public static ListResponse<T> From<TSource>(Scheduler.Common.Page<TSource> page, Func<TSource, T> map) =>
        new([.. page.Items.Select(map)], new Pagination(page.Total, page.Limit, page.Offset, page.Offset + page.Items.Count < page.Total));
}
