using Microsoft.AspNetCore.SignalR;
using Scheduler.Live;

namespace Scheduler.Api.Live;

/// <summary>
/// The live-update hub at <c>/hubs/scheduler</c>. A client calls <see cref="Subscribe"/> with the last position it
/// saw (none the first time) and hears every change it may read through its one method <c>changed</c>: what it
/// missed, then each new one. Delivery is at most once, so on reconnecting it subscribes again with its last position.
/// A connection whose session ends is closed.
/// </summary>
public sealed class SchedulerHub(LiveStream stream, LiveConnections connections) : Hub
{
    public const string Path = "/hubs/scheduler";
    public const string ClientMethod = "changed";

    private const string SubscriptionItem = "live.subscription";

    /// <summary>Follows the changes after <paramref name="since"/> (none: from now on); replaces an earlier subscription.</summary>
    public async Task Subscribe(long? since)
    {
        if (since < 0)
        {
            throw new HubException("since must be a position the server sent (0 or more), or null.");
        }
        if (Context.Items.TryGetValue(SubscriptionItem, out var previous) && previous is CancellationTokenSource earlier)
        {
            await earlier.CancelAsync();
        }
        var subscription = CancellationTokenSource.CreateLinkedTokenSource(Context.ConnectionAborted);
        Context.Items[SubscriptionItem] = subscription;
        _ = Pump(stream.FollowItems(Context.User!, since, subscription.Token), connections, Context, subscription.Token);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(SubscriptionItem, out var item) && item is CancellationTokenSource subscription)
        {
            await subscription.CancelAsync();
            subscription.Dispose();
        }
        await base.OnDisconnectedAsync(exception);
    }

    // One sender per connection, so a client hears its changes in order; the stream ending (its session did) closes it.
    private static async Task Pump(IAsyncEnumerable<(LiveItem Item, LiveMessage Message)> messages, LiveConnections connections,
        HubCallerContext connection, CancellationToken token)
    {
        try
        {
            await foreach (var (item, message) in messages.WithCancellation(token))
            {
                if (!await connections.Send(connection.ConnectionId, item, message, token))
                {
                    return;
                }
            }
            if (!token.IsCancellationRequested)
            {
                connection.Abort();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // unsubscribed or disconnected
        }
        catch (Exception)
        {
            connection.Abort();
        }
    }
}
