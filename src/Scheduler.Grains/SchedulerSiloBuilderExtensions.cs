using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Scheduler.Grains.Persistence;
using Scheduler.Users;

namespace Scheduler.Grains;

public static class SchedulerSiloBuilderExtensions
{
    /// <summary>The SQLite invariant of the Orleans ADO.NET provider (mapped to Microsoft.Data.Sqlite).</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    private const string AdoNetStorageName = "sqlite";

    /// <summary>
    /// Grain storage (Orleans ADO.NET on SQLite, Orleans binary serializer), schema bootstrap, read-model writer
    /// and start-up sweep, all on the one database file named by <paramref name="connectionString"/>.
    /// </summary>
    public static ISiloBuilder AddSchedulerGrains(this ISiloBuilder silo, string? connectionString, SqliteDurability durability = SqliteDurability.Full)
    {
        var database = new SchedulerDatabase(connectionString, durability);
        var services = silo.Services;
        services.AddSingleton(database);
        services.AddSingleton<ReadModelWriter>();
        services.AddSingleton<EntityProjector>();
        services.AddSingleton<Telemetry.SchedulerTelemetry>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPasswordHasher<UserInfo>, PasswordHasher<UserInfo>>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaInitializer>();
        services.AddSingleton<ProjectionSweep>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ProjectionSweep>());

        // The ADO.NET provider does the work under its own name; the default storage grains use is that provider
        // behind the file's write gate.
        services.AddAdoNetGrainStorage(AdoNetStorageName, options => options.Configure<IServiceProvider>((o, sp) =>
        {
            o.Invariant = SqliteInvariant;
            o.ConnectionString = database.ConnectionString;
            o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp);
        }));
        services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) =>
            new SerializedGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(AdoNetStorageName), SqliteWriteGate.For(database.FilePath)));
        return silo;
    }
}
