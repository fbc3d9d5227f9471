using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Scheduler.Grains.Persistence;
using Scheduler.Users;

namespace Scheduler.Grains;

public static class SchedulerSiloBuilderExtensions
{
    private const string AdoNetStorageName = "adonet";

    /// <summary>
    /// Grain storage (Orleans ADO.NET, Orleans binary serializer), schema bootstrap, the database writer, the
    /// start-up sweep and the retry of calls a moving grain refused, all on <paramref name="database"/>.
    /// </summary>
    public static ISiloBuilder AddSchedulerGrains(this ISiloBuilder silo, SchedulerDatabase database)
    {
        silo.AddOutgoingGrainCallFilter<Common.TransientCallRetryFilter>();
        var services = silo.Services;
        services.AddSingleton(database);
        services.AddSingleton<DatabaseWriter>();
        services.AddSingleton<ReadModelQueries>();
        services.AddSingleton<SqliteStateReader>();
        services.AddSingleton<EntityProjector>();
        services.AddSingleton<Telemetry.SchedulerTelemetry>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPasswordHasher<UserInfo>, PasswordHasher<UserInfo>>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaInitializer>();
        services.AddSingleton<StartupSweep>();
        services.AddProjectedEntity<Interviewers.InterviewerGrain>(Interviewers.InterviewerGrain.StateName, "interviewers");
        services.AddProjectedEntity<Events.InterviewEventGrain>(Events.InterviewEventGrain.StateName, "interview_events");
        services.AddProjectedEntity<Users.UserGrain>(Users.UserGrain.StateName, "users");
        services.AddSingleton<ProjectionSweep>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ProjectionSweep>());

        // The ADO.NET provider does the work under its own name. The default storage grains use is that provider on
        // PostgreSQL; on SQLite it reads through it and writes through the database writer's group commit.
        services.AddAdoNetGrainStorage(AdoNetStorageName, options => options.Configure<IServiceProvider>((o, sp) =>
        {
            o.Invariant = database.Invariant;
            o.ConnectionString = database.ConnectionString;
            o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp);
        }));
        services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) =>
        {
            var adoNet = sp.GetRequiredKeyedService<IGrainStorage>(AdoNetStorageName);
            return database is SqliteDatabase
                ? new SqliteGrainStorage(
                    adoNet,
                    AdoNetStorageName,
                    sp.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(AdoNetStorageName),
                    sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
                    sp.GetRequiredService<DatabaseWriter>(),
                    sp.GetRequiredService<SqliteStateReader>(),
                    sp.GetRequiredService<IActivatorProvider>(),
                    database.WriteGate!)
                : adoNet;
        });
        return silo;
    }

    /// <summary>Cluster membership in the database's Orleans tables (PostgreSQL), so silos on several hosts find each other.</summary>
    public static ISiloBuilder UseSchedulerClustering(this ISiloBuilder silo, SchedulerDatabase database) =>
        database.Provider == StorageProvider.PostgreSql
            ? silo.UseAdoNetClustering(options =>
            {
                options.Invariant = database.Invariant;
                options.ConnectionString = database.ConnectionString;
            })
            : throw new InvalidOperationException("Orleans:Clustering = AdoNet needs Storage:Provider = PostgreSql (Orleans has no SQLite membership provider).");
}
