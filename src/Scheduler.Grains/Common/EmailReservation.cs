using Scheduler.Common;

namespace Scheduler.Grains.Common;

internal static class EmailReservation
{
    /// <summary>
    /// Reserves <paramref name="email"/> for the calling grain, before it has changed anything durable. If the index
    /// cannot be reached (its silo, or this one, is leaving), the caller's call is reported as not carried out, so it
    /// is sent again, and the caller leaves memory so that the next attempt may activate it on a silo that stays.
    /// A reservation that did reach the index is harmless: it is the caller's own, or reclaimed once the caller is
    /// found not to hold the email.
    /// </summary>
    public static async Task<bool> TryReserveEmail(this IGrainBase owner, IGrainFactory grains, EmailOwnerKind kind, string email, string ownerId)
    {
        try
        {
            return await grains.For(kind, email).TryReserve(ownerId);
        }
        catch (SiloUnavailableException unreachable)
        {
            owner.DeactivateOnIdle();
            throw new CallNotCarriedOutException($"The email index for '{email}' could not be reached.", unreachable);
        }
    }
}
