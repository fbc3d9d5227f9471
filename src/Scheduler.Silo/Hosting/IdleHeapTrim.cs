using System.Diagnostics;

namespace Scheduler.Silo.Hosting;

/// <summary>
/// Gives memory back once the service goes quiet (docs/performance.md, issue 21). Activations shed under the memory
/// budget or collected when idle leave dead objects and holes in the old generation; the GC compacts it only when
/// allocations call for it, and an idle process allocates too little for that, so RSS stayed where the last load left
/// it. Compacting under load instead (<c>System.GC.ConserveMemory</c>) measured 200-300 ms at the creates' p99. So
/// this waits for a quiet period (little allocated in the last <see cref="Period"/>) after real work (a good amount
/// allocated since the last trim, or <see cref="Backstop"/> passed) and then runs one compacting, decommitting
/// collection: on an idle silo with a small heap, a pause of some tens of milliseconds every 5 minutes. On by default;
/// <c>GrainCollection:IdleHeapTrim</c> = false turns it off.
/// </summary>
public sealed class IdleHeapTrim(TimeProvider time, ILogger<IdleHeapTrim> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    /// <summary>Less than this allocated in a period is quiet (an idle silo's own loops stayed under it in bench/memory.sh).</summary>
    public const long QuietBytes = 16L << 20;

    /// <summary>At least this allocated since the last trim makes one worth a pause of the process.</summary>
    public const long WorthBytes = 128L << 20;

    /// <summary>
    /// Quiet for this long since the last trim, one more is due anyway: the activations Orleans collects after their
    /// idle age (5 minutes) become garbage, and deactivating them allocates too little to start a collection (measured:
    /// 28,600 collected at once left the heap 22 MiB larger, RSS 374 -> 405 MiB, until the next trim).
    /// </summary>
    public static readonly TimeSpan Backstop = TimeSpan.FromMinutes(5);

    public static bool ShouldTrim(long allocatedInPeriod, long allocatedSinceTrim, TimeSpan sinceTrim) =>
        allocatedInPeriod < QuietBytes && (allocatedSinceTrim >= WorthBytes || sinceTrim >= Backstop);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        var lastTick = GC.GetTotalAllocatedBytes();
        var lastTrim = lastTick;
        var lastTrimAt = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var allocated = GC.GetTotalAllocatedBytes();
                if (ShouldTrim(allocated - lastTick, allocated - lastTrim, time.GetElapsedTime(lastTrimAt)))
                {
                    Trim();
                    lastTrim = GC.GetTotalAllocatedBytes();
                    lastTrimAt = time.GetTimestamp();
                }
                lastTick = GC.GetTotalAllocatedBytes();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Trim()
    {
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var watch = Stopwatch.StartNew();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
        logger.LogInformation("Quiet after load: compacted the heap in {Milliseconds} ms, committed {Before} -> {After} MiB",
            watch.ElapsedMilliseconds, before >> 20, after >> 20);
    }
}
