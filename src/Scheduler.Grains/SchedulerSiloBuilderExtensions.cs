using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Scheduler.Grains.Calendars;
using Scheduler.Grains.Live;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Webhooks;
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
        services.AddSingleton<GrainStateReader>();
        services.AddSingleton<StateWrites>();
        services.AddSingleton<Telemetry.SchedulerTelemetry>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPasswordHasher<UserInfo>, PasswordHasher<UserInfo>>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaInitializer>();
        services.AddSingleton<StartupCheck>();
        services.AddProjectedEntity(Interviewers.InterviewerGrain.StateName, "interviewers");
        services.AddProjectedEntity(Events.InterviewEventGrain.StateName, "interview_events");
        services.AddProjectedEntity(Users.UserGrain.StateName, "users");
        services.AddSchedulerNotifications();
        services.AddSchedulerCalendarSync();
        services.AddSchedulerWebhooks();
        services.AddSchedulerLiveFeed();
        services.AddOptions<CalendarFeeds.CalendarFeedOptions>().BindConfiguration(CalendarFeeds.CalendarFeedOptions.Section);
        services.AddOptions<SessionLeaseOptions>().BindConfiguration(SessionLeaseOptions.Section);
        services.AddSingleton<CalendarFeeds.CalendarFeedTokens>();
        services.AddSingleton<StartupRecovery>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<StartupRecovery>());
        services.AddSingleton<PendingChangesSweep>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<PendingChangesSweep>());

        // The ADO.NET provider's options under its own name (serializer, hash picker, the queries in OrleansQuery): the
        // default storage reads with prepared statements of its queries and writes through the database writer's group
        // commit, each state row in one transaction with the rows its change commits beside it.
        services.AddAdoNetGrainStorage(AdoNetStorageName, options => options.Configure<IServiceProvider>((o, sp) =>
        {
            o.Invariant = database.Invariant;
            o.ConnectionString = database.ConnectionString;
            o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp);
        }));
        services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => new SchedulerGrainStorage(
            AdoNetStorageName,
            sp.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(AdoNetStorageName),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            sp.GetRequiredService<DatabaseWriter>(),
            sp.GetRequiredService<GrainStateReader>(),
            sp.GetRequiredService<IActivatorProvider>()));
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
