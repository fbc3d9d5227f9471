using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Outbound;

namespace Scheduler.Grains.Calendars;

public static class CalendarSyncRegistration
{
    /// <summary>Linked calendars: the guarded client, credentials under a key ring in the database, the sync worker.</summary>
    public static IServiceCollection AddSchedulerCalendarSync(this IServiceCollection services)
    {
        services.AddOptions<CalendarSyncOptions>().BindConfiguration(CalendarSyncOptions.Section);
        // The factory's loggers would write each request URI, and a subscription URL's query is often its secret.
        services.AddOutboundHttpClient(CalendarFetcher.ClientName, followRedirects: true).RemoveAllLoggers();
        services.AddDataProtection().SetApplicationName("Scheduler");
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<DatabaseXmlRepository>()));
        services.AddSingleton<CalendarCredentials>();
        services.AddSingleton<CalendarFetcher>();
        services.AddSingleton<CalendarSync>();
        services.AddSingleton<CalendarSyncWorker>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CalendarSyncWorker>());
        // Write-back: an outbox sink queues the pushes, one sender (leased) writes them.
        services.AddOptions<CalendarPushOptions>().BindConfiguration(CalendarPushOptions.Section);
        services.AddSingleton<CalendarPushPlanner>();
        services.AddSingleton<IDomainEventSink>(sp => sp.GetRequiredService<CalendarPushPlanner>());
        services.AddSingleton<CalDavWriter>();
        services.AddSingleton<CalendarPushWorker>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CalendarPushWorker>());
        return services;
    }
}
