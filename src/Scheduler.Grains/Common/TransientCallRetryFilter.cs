using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Concurrency;
using Scheduler.Common;

namespace Scheduler.Grains.Common;

/// <summary>
/// Retries a grain call that failed because its target was moving: a silo shutting down rejects the calls that
/// reach its deactivating grains, and a caller's directory cache may still point at a silo that has left. A
/// rejection means the call never ran, so any call is sent again; a silo that became unavailable may have run
/// it, so only a <see cref="ReadOnlyAttribute"/> call is, unless the callee reports that it changed nothing
/// (<see cref="CallNotCarriedOutException"/>). A few attempts within a second, then the error stands.
/// </summary>
internal sealed class TransientCallRetryFilter : IOutgoingGrainCallFilter
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(400)];
    private static readonly ConcurrentDictionary<MethodInfo, bool> ReadOnlyMethods = new();

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await context.Invoke();
                return;
            }
            catch (Exception error) when (attempt < Backoff.Length && Retryable(context, error))
            {
                await Task.Delay(Backoff[attempt]);
            }
        }
    }

    private static bool Retryable(IOutgoingGrainCallContext context, Exception error) => error switch
    {
        SiloUnavailableException => context.InterfaceMethod is { } method
            && ReadOnlyMethods.GetOrAdd(method, m => m.GetCustomAttribute<ReadOnlyAttribute>() is not null),
        OrleansMessageRejectionException or CallNotCarriedOutException => true,
        _ => false,
    };
}
