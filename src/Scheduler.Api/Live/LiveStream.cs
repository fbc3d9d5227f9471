using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Scheduler.Api.Auth;
using Scheduler.Api.Authorization;
using Scheduler.Live;
using Scheduler.Users;

namespace Scheduler.Api.Live;

/// <summary>
/// A signed-in user's view of the live feed, for the hub and the event stream alike: the changes it may read
/// (<see cref="Access.CanSee(ClaimsPrincipal, LiveChange)"/>), and an end when its session does. A connection outlives
/// the request that opened it, so the session is checked again every <see cref="SessionLeaseOptions.Lease"/>
/// (as a read is): a user disabled, deleted or given other roles, or whose token expired, stops hearing within that.
/// </summary>
public sealed class LiveStream(ILiveFeed feed, SessionStamps stamps, IOptions<SessionLeaseOptions> leases, TimeProvider time)
{
    public async IAsyncEnumerable<LiveMessage> Follow(ClaimsPrincipal user, long? after, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var (_, message) in FollowItems(user, after, cancellation))
        {
            yield return message;
        }
    }

    /// <summary>As <see cref="Follow"/>, with the feed's item each message was made of (one instance per change, shared by every listener).</summary>
    public async IAsyncEnumerable<(LiveItem Item, LiveMessage Message)> FollowItems(ClaimsPrincipal user, long? after,
        [EnumeratorCancellation] CancellationToken cancellation)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var watch = Watch(user, session);
        var items = feed.Follow(after, session.Token).GetAsyncEnumerator(session.Token);
        try
        {
            while (true)
            {
                bool next;
                try
                {
                    next = await items.MoveNextAsync();
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    next = false; // the session ended
                }
                if (!next)
                {
                    break;
                }
                var item = items.Current;
                if (item.Change is null || user.CanSee(item.Change))
                {
                    yield return (item, LiveMessage.From(item));
                }
            }
        }
        finally
        {
            await session.CancelAsync();
            await items.DisposeAsync();
            await watch;
        }
    }

    // Ends the session (cancels it) once the token expired or its session stamp is no longer its user's.
    private async Task Watch(ClaimsPrincipal user, CancellationTokenSource session)
    {
        var every = TimeSpan.FromSeconds(Math.Max(0.25, leases.Value.Lease.TotalSeconds));
        var userId = user.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        var stamp = user.FindFirst(SchedulerClaims.SessionStamp)?.Value;
        var expires = long.TryParse(user.FindFirst(JwtRegisteredClaimNames.Exp)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
        try
        {
            while (true)
            {
                await Task.Delay(every, session.Token); // wall-clock: how often to ask, not a time of the domain
                if (userId is null || stamp is null || time.GetUtcNow() >= expires || !await stamps.IsCurrent(userId, stamp))
                {
                    await session.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the stream ended
        }
        catch (Exception)
        {
            // The user grain cannot answer: the listener is let go rather than kept on an unchecked session.
            await session.CancelAsync();
        }
    }
}
