using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// When the silo becomes active, finds every grain whose stored state is ahead of its read-model row (a crash
/// between the durable write and the projection) and asks it to project again.
/// </summary>
internal sealed class ProjectionSweep(
    SchedulerDatabase database,
    IGrainFactory grains,
    IEnumerable<ProjectedEntity> projected,
    StartupSweep status,
    IOptions<ClusterOptions> cluster,
    ILogger<ProjectionSweep> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ProjectedEntity[] _projected = [.. projected];

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
        try
        {
            foreach (var (stateName, table, grainClass) in _projected)
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
        }
        finally
        {
            status.Done = true;
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
        var projected = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT id, storage_version FROM {table}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                projected[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        var behind = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT GrainIdN0, GrainIdN1, GrainIdExtensionString, Version
                FROM OrleansStorage WHERE GrainTypeString = @stateName AND ServiceId = @serviceId AND PayloadBinary IS NOT NULL
                """;
            command.Add("@stateName", stateName);
            // Another service's grains (a shared database, a renamed service) are not this one's to project.
            command.Add("@serviceId", cluster.Value.ServiceId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = GrainKey(reader.GetInt64(0), reader.GetInt64(1), reader.NullableString(2) ?? "");
                if (!projected.TryGetValue(id, out var version) || version < Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture))
                {
                    behind.Add(id);
                }
            }
        }
        return behind;
    }

    /// <summary>
    /// The string key of a grain as the ADO.NET provider stored it: a key that parses as a GUID (as our 32-hex-digit
    /// ids do) is kept in N0/N1, any other string key in the extension column.
    /// </summary>
    private static string GrainKey(long n0, long n1, string extension)
    {
        if (extension.Length > 0 && n0 == 0 && n1 == 0)
        {
            return extension;
        }
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes[..8], n0);
        BitConverter.TryWriteBytes(bytes[8..], n1);
        return new Guid(bytes).ToString("N");
    }
}
