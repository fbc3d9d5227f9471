using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Scheduler.Users;

namespace Scheduler.Api.Auth;

/// <summary>
/// Whether an access token's session stamp is still its user's. A signature and an expiry cannot say that a user was
/// disabled, deleted or given other roles since the token was issued; the user grain can. For a read, a stamp the grain
/// confirmed is trusted for <see cref="JwtOptions.SessionCheckSeconds"/>, so a read costs a grain call at most that often
/// per user and silo. A write always asks the grain (<c>confirm</c>): a disabled or demoted admin, or one
/// whose password changed, changes nothing from then on, on any silo. Any other stamp is checked with the grain at once:
/// it is either an ended session's, or a new one's (signed in again after a password change) that this silo has not
/// heard of yet.
/// </summary>
public sealed class SessionStamps(IGrainFactory grains, IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Heard> _heard = new(StringComparer.Ordinal);

    public async ValueTask<bool> IsCurrent(string userId, string stamp, bool confirm = false)
    {
        var now = time.GetUtcNow();
        if (!confirm && _heard.TryGetValue(userId, out var heard) && (now - heard.At).TotalSeconds < options.Value.SessionCheckSeconds
            && string.Equals(heard.Stamp, stamp, StringComparison.Ordinal))
        {
            return true;
        }
        var current = await grains.GetGrain<IUserGrain>(userId).GetSessionStamp();
        _heard[userId] = new Heard(current, now);
        return current is not null && string.Equals(current, stamp, StringComparison.Ordinal);
    }

    private readonly record struct Heard(string? Stamp, DateTimeOffset At);
}
