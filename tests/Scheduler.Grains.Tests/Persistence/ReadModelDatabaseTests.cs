using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>
/// Tests on a read model of their own: each test gets a fresh database (<paramref name="own"/>, with the schema), the
/// query connections over it, and <see cref="Project"/> to apply changes as the database writer does.
/// </summary>
public abstract class ReadModelDatabaseTests(OwnDatabase own) : IAsyncLifetime
{
    protected SchedulerDatabase Database { get; private set; } = null!;

    protected ReadModelQueries Queries { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Database = await own.Create();
        Database.EnsureSchema();
        Queries = new ReadModelQueries(Database);
    }

    public async Task DisposeAsync()
    {
        Queries.Dispose();
        await own.Delete();
    }

    /// <summary>Applies <paramref name="changes"/> in one transaction, as the database writer does.</summary>
    protected void Project(params IReadModelChange[] changes)
    {
        using var connection = Database.Open();
        var session = new ReadModelSession(connection, Database);
        using var transaction = connection.BeginTransaction();
        session.Transaction = transaction;
        changes.ApplyAll(session);
        transaction.Commit();
        session.DisposeCommands();
    }
}
