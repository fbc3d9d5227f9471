using System.Runtime.CompilerServices;
using Orleans.Configuration;
using Orleans.Statistics;

namespace Scheduler.Silo.Hosting;

/// <summary>
/// How long idle grains stay in memory, and shedding under memory pressure (docs/performance.md, issue 21). Orleans keeps
/// an idle activation 15 minutes by default: created through the API, 100,000 interviewers and 100,000 interviews stay
/// resident for that long. Idle ones now leave after 5 minutes, and when the managed heap passes 80 % of the memory the
/// silo may use, the least recently used are deactivated until 75 % remain (small passes: a pass deactivates its share
/// all at once, and creates wait behind it). The section <c>GrainCollection</c> overrides
/// any of them (<c>CollectionAge</c>, <c>MemoryUsageLimitPercentage</c>, ...).
/// </summary>
public static class ActivationCollection
{
    /// <summary>
    /// The managed heap the activations may fill, in MiB, unless <c>GrainCollection:MemoryBudgetMiB</c> says otherwise
    /// (0: only the GC's own limit). With it and <see cref="IdleHeapTrim"/>, a laptop's service settles under 400 MiB of
    /// RSS once its idle grains are collected, however many it has touched; the ~190 MiB the process holds at start are mostly mapped
    /// files and code (docs/performance.md).
    /// </summary>
    public const int DefaultMemoryBudgetMiB = 256;

    public static ISiloBuilder AddActivationCollection(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<GrainCollectionOptions>(options =>
        {
            options.CollectionAge = TimeSpan.FromMinutes(5);
            options.EnableActivationSheddingOnMemoryPressure = true;
            options.MemoryUsageLimitPercentage = 80;
            options.MemoryUsageTargetPercentage = 75;
            configuration.GetSection("GrainCollection").Bind(options);
        });
        // Orleans sizes the directory cache's table for a million grains up front (~18 MiB at start). With the budget
        // a silo holds some tens of thousands of activations, and a cache miss is one directory call.
        silo.Configure<GrainDirectoryOptions>(options =>
        {
            options.CacheSize = 100_000;
            configuration.GetSection("GrainDirectory").Bind(options);
        });
        var budget = configuration.GetValue("GrainCollection:MemoryBudgetMiB", DefaultMemoryBudgetMiB);
        if (budget < 0)
        {
            throw new InvalidOperationException($"GrainCollection:MemoryBudgetMiB must be 0 (no budget) or a number of MiB, not {budget}.");
        }
        if (budget > 0)
        {
            DecorateStatistics(silo.Services, budget * 1024L * 1024L);
        }
        if (configuration.GetValue("GrainCollection:IdleHeapTrim", true))
        {
            silo.Services.AddHostedService<IdleHeapTrim>();
        }
        return silo;
    }

    // Orleans sheds against the memory the GC may use, which without a container limit or a heap hard limit is the
    // whole machine: on a laptop it never sheds. The budget is handed to Orleans as that limit instead, so its own
    // shedding (least recently used first, after a gen-2 GC) does the work. A hard heap limit would do the same but
    // fails allocations once reached; the budget only makes Orleans deactivate sooner.
    private static void DecorateStatistics(IServiceCollection services, long budgetBytes)
    {
        var original = services.LastOrDefault(s => s.ServiceType == typeof(IEnvironmentStatisticsProvider) && s.ImplementationType is not null)
            ?? throw new InvalidOperationException("Orleans registered no IEnvironmentStatisticsProvider type to put the memory budget on.");
        services.Remove(original);
        services.AddSingleton(original.ImplementationType!);
        services.AddSingleton<IEnvironmentStatisticsProvider>(sp =>
            new BudgetedEnvironmentStatistics((IEnvironmentStatisticsProvider)sp.GetRequiredService(original.ImplementationType!), budgetBytes));
    }
}

/// <summary>The process's statistics, with the memory it may use capped at <paramref name="budgetBytes"/>.</summary>
public sealed class BudgetedEnvironmentStatistics(IEnvironmentStatisticsProvider inner, long budgetBytes) : IEnvironmentStatisticsProvider
{
    public EnvironmentStatistics GetEnvironmentStatistics()
    {
        var stats = inner.GetEnvironmentStatistics();
        if (stats.MaximumAvailableMemoryBytes > 0 && stats.MaximumAvailableMemoryBytes <= budgetBytes)
        {
            return stats;
        }
        return Create(
            stats.FilteredCpuUsagePercentage,
            stats.RawCpuUsagePercentage,
            stats.FilteredMemoryUsageBytes,
            stats.RawMemoryUsageBytes,
            Math.Max(0, budgetBytes - stats.FilteredMemoryUsageBytes),
            Math.Max(0, budgetBytes - stats.RawMemoryUsageBytes),
            budgetBytes);
    }

    // The struct's constructor is internal to Orleans; a change of its signature fails here at the first call, and
    // MemoryBudgetTests makes that call.
    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern EnvironmentStatistics Create(
        float cpuUsagePercentage,
        float rawCpuUsagePercentage,
        long memoryUsageBytes,
        long rawMemoryUsageBytes,
        long availableMemoryBytes,
        long rawAvailableMemoryBytes,
        long maximumAvailableMemoryBytes);
}
