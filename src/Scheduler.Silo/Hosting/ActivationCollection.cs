using Orleans.Configuration;

namespace Scheduler.Silo.Hosting;

/// <summary>
/// How long idle grains stay in memory, and shedding under memory pressure (docs/performance.md, issue 21). Orleans keeps
/// an idle activation 15 minutes by default: created through the API, 100,000 interviewers and 100,000 interviews stay
/// resident for that long. Idle ones now leave after 5 minutes, and when the process uses more than 80 % of the memory
/// the GC may use (the container's limit, or <c>DOTNET_GCHeapHardLimit</c>), the least recently used are deactivated
/// until 60 % remain. The section <c>GrainCollection</c> overrides any of them (<c>CollectionAge</c>,
/// <c>MemoryUsageLimitPercentage</c>, ...).
/// </summary>
public static class ActivationCollection
{
    public static ISiloBuilder AddActivationCollection(this ISiloBuilder silo, IConfiguration configuration) =>
        silo.Configure<GrainCollectionOptions>(options =>
        {
            options.CollectionAge = TimeSpan.FromMinutes(5);
            options.EnableActivationSheddingOnMemoryPressure = true;
            options.MemoryUsageLimitPercentage = 80;
            options.MemoryUsageTargetPercentage = 60;
            configuration.GetSection("GrainCollection").Bind(options);
        });
}
