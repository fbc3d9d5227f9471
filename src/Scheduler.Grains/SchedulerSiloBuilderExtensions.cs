using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;
using Scheduler.Grains.Persistence;
using Scheduler.Users;

namespace Scheduler.Grains;

public static class SchedulerSiloBuilderExtensions
{
    /// <summary>The SQLite invariant of the Orleans ADO.NET provider (mapped to Microsoft.Data.Sqlite).</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>
    /// Grain storage (Orleans ADO.NET on SQLite, Orleans binary serializer), schema bootstrap, read-model writer
    /// and start-up sweep, all on the one database file named by <paramref name="connectionString"/>.
    /// </summary>
    public static ISiloBuilder AddSchedulerGrains(this ISiloBuilder silo, string? connectionString)
    {
        var database = new SchedulerDatabase(connectionString);
        var services = silo.Services;
        services.AddSingleton(database);
        services.AddSingleton<ReadModelWriter>();
        services.AddSingleton<Telemetry.SchedulerTelemetry>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPasswordHasher<UserInfo>, PasswordHasher<UserInfo>>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaInitializer>();
        services.AddSingleton<ProjectionSweep>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ProjectionSweep>());

        silo.AddAdoNetGrainStorageAsDefault(options =>
        {
            options.Invariant = SqliteInvariant;
            options.ConnectionString = database.ConnectionString;
        });
        services.AddOptions<AdoNetGrainStorageOptions>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
            .Configure<IServiceProvider>((options, sp) =>
                options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp));
        return silo;
    }
}
