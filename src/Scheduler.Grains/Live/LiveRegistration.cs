using Microsoft.Extensions.DependencyInjection;
using Scheduler.Live;

namespace Scheduler.Grains.Live;

public static class LiveRegistration
{
    /// <summary>The live feed of committed changes (<c>Live</c> settings), which the hub and the event stream follow.</summary>
    public static IServiceCollection AddSchedulerLiveFeed(this IServiceCollection services)
    {
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section);
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<ILiveFeed>(sp => sp.GetRequiredService<LiveFeed>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LiveFeed>());
        return services;
    }
}
