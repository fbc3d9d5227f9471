namespace Scheduler.Grains.Persistence;

/// <summary>The <c>pending_changes</c> table: which grains have a change begun but not finished (<see cref="IResumableGrain"/>).</summary>
public static class PendingChanges
{
    /// <summary>Marks the grain of class <paramref name="grainClass"/> and key <paramref name="id"/>.</summary>
    public static IReadModelChange Mark(string grainClass, string id) => new Row(grainClass, id, Pending: true);

    /// <summary>Removes the mark.</summary>
    public static IReadModelChange Clear(string grainClass, string id) => new Row(grainClass, id, Pending: false);

    /// <summary>Every marked grain, as (grain class, key).</summary>
    internal static async Task<List<(string GrainClass, string Id)>> All(ReadModelQueries queries) => await queries.RunAsync(async session =>
    {
        var marked = new List<(string, string)>();
        await using var reader = await session.Command("SELECT grain_class, grain_id FROM pending_changes").ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            marked.Add((reader.GetString(0), reader.GetString(1)));
        }
        return marked;
    });

    /// <summary>
    /// Activates every marked grain, so that it finishes or undoes its change (<see cref="IResumableGrain"/>); a grain
    /// that fails is reported to <paramref name="failed"/> and the others go on. Returns how many were resumed.
    /// </summary>
    internal static async Task<int> ResumeAll(ReadModelQueries queries, IGrainFactory grains, Action<string, string, Exception> failed)
    {
        var resumed = 0;
        foreach (var (grainClass, id) in await All(queries))
        {
            try
            {
                await grains.GetGrain<IResumableGrain>(id, grainClass).Resume();
                resumed++;
            }
            catch (Exception error)
            {
                failed(grainClass, id, error);
            }
        }
        return resumed;
    }

    private sealed record Row(string GrainClass, string Id, bool Pending) : IReadModelChange
    {
        private const string MarkSql = "INSERT INTO pending_changes (grain_class, grain_id) VALUES (@class, @id) ON CONFLICT DO NOTHING";

        private const string ClearSql = "DELETE FROM pending_changes WHERE grain_class = @class AND grain_id = @id";

        public void Apply(ReadModelSession session)
        {
            var command = session.Command(Pending ? MarkSql : ClearSql);
            command.Add("@class", GrainClass);
            command.Add("@id", Id);
            session.Execute(command);
        }
    }
}
