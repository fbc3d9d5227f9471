using Microsoft.Extensions.Logging;
using Scheduler.Grains.Interviewers;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// When the silo becomes active, finds every grain whose stored state is ahead of its read-model row (a crash
/// between the durable write and the projection) and asks it to project again.
/// </summary>
internal sealed class ProjectionSweep(SchedulerDatabase database, IGrainFactory grains, ILogger<ProjectionSweep> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly (string StateName, string Table, string GrainClass)[] Projected =
    [
        (InterviewerGrain.StateName, "interviewers", typeof(InterviewerGrain).FullName!),
    ];

    private Task _sweep = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ProjectionSweep), ServiceLifecycleStage.Active, _ =>
        {
            _sweep = Task.Run(SweepAsync);
            return Task.CompletedTask;
        }, _ => _sweep);

    internal async Task<int> SweepAsync()
    {
        var repaired = 0;
        foreach (var (stateName, table, grainClass) in Projected)
        {
            foreach (var id in FindBehind(stateName, table))
            {
                try
                {
                    await grains.GetGrain<IProjectedGrain>(id, grainClass).EnsureProjected();
                    repaired++;
                }
                catch (Exception error)
                {
                    logger.LogError(error, "Re-projection of {StateName} {Id} failed", stateName, id);
                }
            }
        }
        if (repaired > 0)
        {
            logger.LogWarning("Start-up sweep re-projected {Count} grains that were behind the read model", repaired);
        }
        return repaired;
    }

    private List<string> FindBehind(string stateName, string table)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT s.GrainIdExtensionString
            FROM OrleansStorage s LEFT JOIN {table} r ON r.id = s.GrainIdExtensionString
            WHERE s.GrainTypeString = @stateName AND s.PayloadBinary IS NOT NULL
              AND (r.id IS NULL OR r.storage_version < s.Version)
            """;
        command.Parameters.AddWithValue("@stateName", stateName);
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }
}
