using Microsoft.Extensions.Logging;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Creates the schema before anything of Orleans touches the database: its storage and membership providers
/// read their queries from the <c>OrleansQuery</c> table when they initialise, so the table must be there first.
/// </summary>
internal sealed class SchemaInitializer(SchedulerDatabase database, ILogger<SchemaInitializer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaInitializer), ServiceLifecycleStage.First, _ =>
        {
            if (database.StartupProblem() is { } problem)
            {
                logger.LogCritical("The database cannot be written: {Problem}", problem);
                throw new InvalidOperationException($"The database cannot be written: {problem}");
            }
            database.EnsureSchema();
            database.RememberWriteTarget();
            logger.LogInformation("{Provider} schema ready in {Location}", database.Provider, database.Location);
            return Task.CompletedTask;
        });
}
