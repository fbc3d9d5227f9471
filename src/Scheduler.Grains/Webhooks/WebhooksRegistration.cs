using Microsoft.Extensions.DependencyInjection;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Outbound;

namespace Scheduler.Grains.Webhooks;

public static class WebhooksRegistration
{
    /// <summary>
    /// Webhook subscriptions: the outbox sink that queues deliveries, and the sender (<c>Webhooks</c> settings). Secrets are
    /// protected with the Data Protection key ring that <see cref="Calendars.CalendarSyncRegistration"/> sets up.
    /// </summary>
    public static IServiceCollection AddSchedulerWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        services.AddOutboundHttpClient(WebhookSender.ClientName, followRedirects: false);
        services.AddSingleton<WebhookTelemetry>();
        services.AddSingleton<WebhookPlanner>();
        services.AddSingleton<IDomainEventSink>(sp => sp.GetRequiredService<WebhookPlanner>());
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhooksWorker>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WebhooksWorker>());
        return services;
    }
}
