using Orleans.Concurrency;
using Scheduler.Common;

namespace Scheduler.Grains.Common;

/// <summary>
/// Retries a grain call that failed because its target was moving: a silo shutting down rejects the calls that
/// reach its deactivating grains, and a caller's directory cache may still point at a silo that has left. A
/// rejection means the call never ran, so any call is sent again; a silo that became unavailable may have run
/// it, so only a <see cref="ReadOnlyAttribute"/> or <see cref="RepeatableAttribute"/> call is, unless the callee reports
/// that it changed nothing (<see cref="CallNotCarriedOutException"/>). A change is tried a few times within a second, then the error stands.
/// A read keeps trying for up to about 10 s: long enough for the cluster to declare a killed silo dead (measured
/// 5-7 s with the membership settings in <c>SiloSetup</c>) and the grain to come back on a survivor, so a silo lost
/// under reads fails none of them.
/// </summary>
internal sealed class TransientCallRetryFilter : IOutgoingGrainCallFilter
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(400)];

    // 50 + 150 + 400 + 800 + 8 x 1000 ms: 9.4 s of waiting at most.
    private static readonly TimeSpan[] ReadBackoff = [.. Backoff, TimeSpan.FromMilliseconds(800), .. Enumerable.Repeat(TimeSpan.FromSeconds(1), 8)];

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var backoff = GrainMethodKind.Of(context.InterfaceMethod).ReadOnly ? ReadBackoff : Backoff;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await context.Invoke();
                return;
            }
            catch (Exception error) when (attempt < backoff.Length && Retryable(context, error))
            {
                // The first attempt may have stored what a fresh grain's create stores: the next one reads it.
                FreshGrain.Withdraw();
                await Task.Delay(backoff[attempt]);
            }
        }
    }

    private static bool Retryable(IOutgoingGrainCallContext context, Exception error) => error switch
    {
        SiloUnavailableException => GrainMethodKind.Of(context.InterfaceMethod) is { ReadOnly: true } or { Repeatable: true },
        OrleansMessageRejectionException or CallNotCarriedOutException => true,
        _ => false,
    };
}
