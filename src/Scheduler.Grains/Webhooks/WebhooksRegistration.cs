using Microsoft.Extensions.DependencyInjection;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Outbound;

namespace Scheduler.Grains.Webhooks;

public static class WebhooksRegistration
{
    /// <summary>Webhook subscriptions: the outbox sink that queues deliveries, and the sender (<c>Webhooks</c> settings).</summary>
    public static IServiceCollection AddSchedulerWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        services.AddOutboundHttpClient(WebhookSender.ClientName, followRedirects: false);
        services.AddSingleton<WebhookTelemetry>();
        services.AddSingleton<WebhookPlanner>();
        services.AddSingleton<IDomainEventSink>(sp => sp.GetRequiredService<WebhookPlanner>());
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhooksWorker>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WebhooksWorker>());
        return services;
    }
}
