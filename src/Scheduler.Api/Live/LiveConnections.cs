using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Scheduler.Live;

namespace Scheduler.Api.Live;

/// <summary>
/// The hub's connections as the framework's own lifetime manager keeps them, plus a way to write one message,
/// serialized once, to each of them. A change goes to every connection that may read it (up to thousands on one silo):
/// a <c>SendAsync</c> per connection would serialize it again for each; here the <see cref="SerializedHubMessage"/> of a
/// change is shared (it keeps the bytes per protocol), so the fan-out is a copy of the same bytes into each socket.
/// </summary>
public sealed class LiveConnections(ILogger<DefaultHubLifetimeManager<SchedulerHub>> logger) : DefaultHubLifetimeManager<SchedulerHub>(logger)
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new(StringComparer.Ordinal);

    // One per change, shared by every connection that hears it, gone with the change.
    private readonly ConditionalWeakTable<LiveChange, SerializedHubMessage> _serialized = [];

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.TryRemove(connection.ConnectionId, out _);
        return base.OnDisconnectedAsync(connection);
    }

    /// <summary>Writes <paramref name="item"/> to the connection as the hub's one client method; false when it is gone.</summary>
    public async ValueTask<bool> Send(string connectionId, LiveItem item, LiveMessage message, CancellationToken cancellation)
    {
        if (!_connections.TryGetValue(connectionId, out var connection))
        {
            return false;
        }
        var serialized = item.Change is { } change
            ? _serialized.GetValue(change, _ => Serialize(message))
            : Serialize(message);
        await connection.WriteAsync(serialized, cancellation);
        return true;
    }

    private static SerializedHubMessage Serialize(LiveMessage message) =>
        new(new InvocationMessage(SchedulerHub.ClientMethod, [message]));
}
