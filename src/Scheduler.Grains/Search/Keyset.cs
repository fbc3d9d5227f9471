namespace Scheduler.Grains.Search;

/// <summary>Cursor paging: the rows after a (sort key, id) pair in a list's order.</summary>
public static class Keyset
{
    /// <summary>
    /// The condition (to append to a WHERE clause) for rows after (<paramref name="key"/>, <c>@afterId</c>). Written as
    /// a range on the sort column and a filter on the ties, not as a row value: the range is what both databases
    /// answer from the sort index ((a, b) &gt; (x, y) over a collated column was a scan of all of it on SQLite).
    /// </summary>
    public static string After(string column, string key, string idColumn, bool descending)
    {
        var (from, past) = descending ? ("<=", "<") : (">=", ">");
        return $" AND {column} {from} {key} AND ({column} {past} {key} OR {idColumn} {past} @afterId)";
    }
}
