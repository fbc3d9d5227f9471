using Microsoft.Extensions.Logging;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Creates the schema before the grain storage starts: Orleans reads its storage queries from the
/// <c>OrleansQuery</c> table when the storage initialises, so the table must be there first.
/// </summary>
internal sealed class SchemaInitializer(SchedulerDatabase database, ILogger<SchemaInitializer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaInitializer), ServiceLifecycleStage.RuntimeInitialize, _ =>
        {
            database.EnsureSchema();
            logger.LogInformation("SQLite schema ready in {DatabaseFile}", database.FilePath);
            return Task.CompletedTask;
        });
}
