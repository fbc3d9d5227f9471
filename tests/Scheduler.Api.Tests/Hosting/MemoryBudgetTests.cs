using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Statistics;
using Scheduler.Api.Tests.Events;
using Scheduler.Interviewers;
using Scheduler.Silo.Hosting;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Hosting;

/// <summary>A silo whose activations may fill 1 MiB of heap: always over budget, so Orleans sheds after every gen-2 GC.</summary>
public sealed class TightBudgetFactory : SchedulerApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("GrainCollection:MemoryBudgetMiB", "1");
        builder.UseSetting("GrainCollection:MemoryUsagePollingPeriod", "00:00:00.200");
    }
}

public sealed class MemoryBudgetTests(TightBudgetFactory factory) : IClassFixture<TightBudgetFactory>
{
    [Fact]
    public void Statistics_WithABudget_ReportTheBudgetAsTheMemoryTheSiloMayUse()
    {
        var stats = factory.Services.GetRequiredService<IEnvironmentStatisticsProvider>().GetEnvironmentStatistics();

        Assert.Equal(1024L * 1024, stats.MaximumAvailableMemoryBytes);
        Assert.True(stats.RawMemoryUsageBytes > stats.MaximumAvailableMemoryBytes, $"usage {stats.RawMemoryUsageBytes} B");
        Assert.Equal(1f, stats.NormalizedMemoryUsage);
        Assert.Equal(0, stats.RawAvailableMemoryBytes);
    }

    [Fact]
    public async Task MemoryBudget_Exceeded_ShedsIdleActivations_AndTheirRecordsStayReadable()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await EventsApi.NewInterviewer(admin, new { name = $"Budget Person {i}" }));
        }
        var management = factory.Grains.GetGrain<IManagementGrain>(0);
        var created = new HashSet<GrainId>(ids.Select(id => factory.Grains.GetGrain<IInterviewerGrain>(id).GetGrainId()));

        // Idle collection would take 5 minutes; only shedding deactivates them sooner. It runs after a gen-2 GC.
        var resident = await Resident(management, created);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (resident >= ids.Count / 2 && DateTime.UtcNow < deadline)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true);
            await Task.Delay(250);
            resident = await Resident(management, created);
        }

        Assert.True(resident < ids.Count / 2, $"{resident} of {ids.Count} interviewer activations still resident after 30 s");
        for (var i = 0; i < ids.Count; i++)
        {
            var body = await ApiAssert.Json(await admin.GetAsync($"/api/interviewers/{ids[i]}"), HttpStatusCode.OK);
            Assert.Equal($"Budget Person {i}", body.GetProperty("name").GetString());
        }
    }

    private static async Task<int> Resident(IManagementGrain management, HashSet<GrainId> grains) =>
        (await management.GetDetailedGrainStatistics()).Count(s => grains.Contains(s.GrainId));

    [Theory]
    [InlineData(1L << 20, 200L << 20, 1, true)]    // quiet after a load: trim
    [InlineData(64L << 20, 200L << 20, 1, false)]  // still busy: the GC is running anyway, no pause on top
    [InlineData(1L << 20, 8L << 20, 1, false)]     // quiet, little allocated since the last trim, and recent
    [InlineData(1L << 20, 8L << 20, 6, true)]      // quiet, and idle collection may have left garbage since
    [InlineData(64L << 20, 8L << 20, 6, false)]    // the backstop waits for quiet too
    public void IdleHeapTrim_TrimsOnlyWhenQuietAfterRealWork(long allocatedInPeriod, long allocatedSinceTrim, int minutesSinceTrim, bool trims) =>
        Assert.Equal(trims, IdleHeapTrim.ShouldTrim(allocatedInPeriod, allocatedSinceTrim, TimeSpan.FromMinutes(minutesSinceTrim)));
}
