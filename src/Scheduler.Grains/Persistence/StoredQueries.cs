namespace Scheduler.Grains.Persistence;

/// <summary>The Orleans storage's own statements, as the database keeps them (<c>OrleansQuery</c>).</summary>
internal static class StoredQueries
{
    /// <summary>
    /// The text of one of the Orleans storage's queries (<c>OrleansQuery</c>), so that our statements and the ADO.NET
    /// provider's share one definition. Read once by its callers, so not kept among the cached statements.
    /// </summary>
    internal static string StoredQuery(this ReadModelSession session, string key)
    {
        using var read = session.Connection.CreateCommand();
        read.Transaction = session.Transaction;
        read.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key";
        read.Add("@key", key);
        return read.ExecuteScalar() as string ?? throw new InvalidOperationException($"OrleansQuery has no {key}.");
    }

    /// <inheritdoc cref="StoredQuery"/>
    internal static async Task<string> StoredQueryAsync(this ReadModelSession session, string key)
    {
        await using var read = session.Connection.CreateCommand();
        read.Transaction = session.Transaction;
        read.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key";
        read.Add("@key", key);
        return await read.ExecuteScalarAsync() as string ?? throw new InvalidOperationException($"OrleansQuery has no {key}.");
    }
}
