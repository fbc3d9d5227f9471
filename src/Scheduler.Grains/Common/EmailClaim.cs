using Microsoft.Extensions.Logging;
using Scheduler.Common;

namespace Scheduler.Grains.Common;

/// <summary>
/// One grain's claim on its email through the email index, the same for interviewers and users: the email is
/// reserved before the change that takes it is made durable, and released after the change that gives it up. While a
/// change is being written, the index may ask whether the owner holds an email (<see cref="Holds"/>): it holds the one
/// it is claiming, and the one storage says it has, even though memory already shows the next state.
/// </summary>
public sealed class EmailClaim(IGrainBase owner, string ownerId, IGrainFactory grains, EmailOwnerKind kind, string ownerLabel, ILogger logger)
{
    private string? _claiming;
    private string? _durable;

    public bool Holds(string normalizedEmail) => _claiming == normalizedEmail || _durable == normalizedEmail;

    /// <summary>What storage now says the owner holds (null once deleted).</summary>
    public void Stored(string? email) => _durable = email is null ? null : EmailIndex.Normalize(email);

    /// <summary>Reserves <paramref name="email"/>, then runs <paramref name="change"/>, which makes it the owner's durably.</summary>
    public async Task Take(string email, Func<Task> change)
    {
        _claiming = EmailIndex.Normalize(email);
        try
        {
            if (!await Reserve(email))
            {
                throw Taken(email);
            }
            await change();
        }
        finally
        {
            _claiming = null;
        }
    }

    /// <summary>Whether a claim of <paramref name="email"/> would succeed now; reserves nothing.</summary>
    public Task<bool> IsFree(string email) => grains.For(kind, email).IsFreeFor(ownerId);

    /// <summary>Best effort: a reservation left behind is reclaimed by the index, which asks whether we still hold it.</summary>
    public async Task Release(string email)
    {
        try
        {
            await grains.For(kind, email).Release(ownerId);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Could not release email reservation of {Kind} {ownerId}", kind, ownerId);
        }
    }

    public ConflictException Taken(string email) => new($"{ownerLabel} with email '{email}' already exists.", "email_taken");

    /// <summary>
    /// Reserves before anything durable changes. If the index cannot be reached (its silo, or this one, is leaving),
    /// the owner's call is reported as not carried out, so it is sent again, and the owner leaves memory so that the
    /// next attempt may activate it on a silo that stays. A reservation that did reach the index is harmless: it is the
    /// owner's own, or reclaimed once the owner is found not to hold the email.
    /// </summary>
    private async Task<bool> Reserve(string email)
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
