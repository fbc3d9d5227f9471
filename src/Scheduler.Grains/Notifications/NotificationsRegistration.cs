using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Grains.Notifications;

public static class NotificationsRegistration
{
    /// <summary>The outbox dispatcher and email notifications (<c>Email</c> settings; off by default).</summary>
    public static IServiceCollection AddSchedulerNotifications(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section);
        services.AddSingleton<NotificationTelemetry>();
        services.AddSingleton<EmailPlanner>();
        services.AddSingleton<IDomainEventSink>(sp => sp.GetRequiredService<EmailPlanner>());
        services.AddSingleton<EmailTemplates>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<SmtpDelivery>();
        services.AddSingleton<NotificationsWorker>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<NotificationsWorker>());
        return services;
    }
}
