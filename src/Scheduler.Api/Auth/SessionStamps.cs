using System.Collections.Concurrent;
using Scheduler.Users;

namespace Scheduler.Api.Auth;

/// <summary>
/// Whether an access token's session stamp is still its user's. A signature and an expiry cannot say that a user was
/// disabled, deleted or given other roles since the token was issued; the user grain can. It grants each answer as a
/// lease (<see cref="IUserGrain.GetSessionLease"/>), trusted here for its duration counted from before the question,
/// so a request costs a grain call at most once per lease, user and silo. The grain answers a change that ends a stamp
/// only once every lease it granted before has run out: from that answer on, on every silo, no request with the old
/// stamp is accepted, a read or a write. Any other stamp is checked with the grain at once: it is either an ended
/// session's, or a new one's (signed in again after a password change) that this silo has not heard of yet.
/// </summary>
public sealed class SessionStamps(IGrainFactory grains, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Heard> _heard = new(StringComparer.Ordinal);

    public async ValueTask<bool> IsCurrent(string userId, string stamp)
    {
        // A monotonic clock: a wall clock set back would stretch the lease past the grain's wait.
        var asked = time.GetTimestamp();
        if (_heard.TryGetValue(userId, out var heard) && time.GetElapsedTime(heard.Asked, asked) < heard.Lease.Duration
            && string.Equals(heard.Lease.Stamp, stamp, StringComparison.Ordinal))
        {
            return true;
        }
        var lease = await grains.GetGrain<IUserGrain>(userId).GetSessionLease();
        _heard[userId] = new Heard(lease, asked);
        return lease.Stamp is not null && string.Equals(lease.Stamp, stamp, StringComparison.Ordinal);
    }

    private readonly record struct Heard(SessionLease Lease, long Asked);
}
