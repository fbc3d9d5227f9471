using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// When the silo becomes active: activates every grain with a change begun and not finished
/// (<see cref="PendingChanges"/>), so that it finishes or undoes it, then counts each registered entity's state rows
/// against its read-model rows. Both are written in one transaction, so the counts agree; if they do not, the silo
/// says so loudly (an error in the log, and the readiness check's description) rather than patch it.
/// </summary>
internal sealed class StartupRecovery(
    ReadModelQueries queries,
    IGrainFactory grains,
    IEnumerable<ProjectedEntity> projected,
    StartupCheck status,
    IOptions<ClusterOptions> cluster,
    ILogger<StartupRecovery> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ProjectedEntity[] _projected = [.. projected];

    private Task _recovery = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StartupRecovery), ServiceLifecycleStage.Active, _ =>
        {
            _recovery = Task.Run(RecoverAsync);
            return Task.CompletedTask;
        }, _ => _recovery);

    internal async Task<int> RecoverAsync()
    {
        var resumed = 0;
        try
        {
            resumed = await PendingChanges.ResumeAll(queries, grains,
                (grainClass, id, error) => logger.LogError(error, "Resuming the pending change of {GrainClass} {Id} failed", grainClass, id));
            status.Mismatch = await CountMismatch();
            if (status.Mismatch is { } mismatch)
            {
                logger.LogError("State and read model disagree: {Mismatch}", mismatch);
            }
        }
        catch (Exception error)
        {
            logger.LogError(error, "The start-up check failed");
        }
        finally
        {
            status.Done = true;
        }
        if (resumed > 0)
        {
            logger.LogWarning("Start-up finished or undid {Count} changes left pending by the last run", resumed);
        }
        return resumed;
    }

    internal async Task<string?> CountMismatch()
    {
        var problems = new List<string>();
        foreach (var (stateName, table) in _projected)
        {
            // One statement, so both counts come from one snapshot (a change commits a state row and its row together).
            var (states, rows) = await queries.RunAsync(async session =>
            {
                var count = session.Command($"""
                    SELECT (SELECT count(*) FROM OrleansStorage
                             WHERE GrainTypeString = @stateName AND ServiceId = @serviceId AND PayloadBinary IS NOT NULL),
                           (SELECT count(*) FROM {table})
                    """);
                count.Add("@stateName", stateName);
                count.Add("@serviceId", cluster.Value.ServiceId);
                await using var reader = await count.ExecuteReaderAsync();
                await reader.ReadAsync();
                return (reader.GetInt64(0), reader.GetInt64(1));
            });
            if (states != rows)
            {
                problems.Add($"{stateName}: {states} stored states, {rows} rows in {table}");
            }
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
