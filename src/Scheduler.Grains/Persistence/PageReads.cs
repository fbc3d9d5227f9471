using System.Data.Common;
using System.Globalization;

namespace Scheduler.Grains.Persistence;

/// <summary>A page of a list and its total, read together.</summary>
public static class PageReads
{
    /// <summary>
    /// Runs a count and a page query, bound and independent of each other, and hands each row of the page to
    /// <paramref name="row"/>; returns the count. On a server both go in one round trip, prepared like
    /// <see cref="ReadModelSession.QueryAsync"/> (a list paid a second round trip for its total: a wake-up of the
    /// server's backend and of an I/O completion here, under load each a wait for a core); on SQLite one after the other.
    /// </summary>
    public static async Task<long> CountAndReadAsync(this ReadModelSession session, DbCommand count, DbCommand page, Action<DbDataReader> row)
    {
        if (!session.Database.PreparesStatements)
        {
            var total = await session.CountAsync(count);
            await using var rows = await session.QueryAsync(page);
            while (await rows.ReadAsync())
            {
                row(rows);
            }
            return total;
        }
        await using var batch = session.Connection.CreateBatch();
        batch.AddCopyOf(count);
        batch.AddCopyOf(page);
        await batch.PrepareAsync();
        await using var reader = await batch.ExecuteReaderAsync();
        var counted = await reader.ReadAsync() ? Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) : 0;
        if (!await reader.NextResultAsync())
        {
            throw new InvalidOperationException("A count and page round trip returned no page.");
        }
        while (await reader.ReadAsync())
        {
            row(reader);
        }
        return counted;
    }
}
