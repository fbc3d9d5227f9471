using Orleans.Concurrency;
using Scheduler.Common;

namespace Scheduler.Api.Common;

/// <summary>
/// Whether a request that may change something (not a GET) has sent a grain call that may change something: any
/// method that is not <see cref="ReadOnlyAttribute"/>. Until it has, a grain that could not be reached (a silo that
/// left, a timeout) means that nothing of the request ran, however it is sent, and the answer is 503
/// <c>temporarily_unavailable</c>; once it has, the change may stand, and the answer is <c>change_in_doubt</c>.
/// Reads made before a write (an <c>If-Match</c> check, an ownership check) and read-only POSTs (searches) are
/// thereby never answered as in doubt.
/// </summary>
internal sealed class ChangesSent : IOutgoingGrainCallFilter
{
    // The request's flag: set by the middleware, flowing with the request's calls (ExecutionContext).
    private static readonly AsyncLocal<Flag?> Current = new();

    private static readonly object ItemKey = new();

    /// <summary>Counts the request's changes from here on (called for every request that is not a GET or HEAD).</summary>
    public static void Track(HttpContext context)
    {
        var flag = new Flag();
        context.Items[ItemKey] = flag;
        Current.Value = flag;
    }

    /// <summary>Whether the request has sent a call that may have changed something (true when untracked).</summary>
    public static bool By(HttpContext context) => !context.Items.TryGetValue(ItemKey, out var flag) || flag is not Flag { Sent: false };

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (Current.Value is { Sent: false } flag && !GrainMethodKind.Of(context.InterfaceMethod).ReadOnly)
        {
            flag.Sent = true;
        }
        return context.Invoke();
    }

    private sealed class Flag
    {
        public volatile bool Sent;
    }
}
