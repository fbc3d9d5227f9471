namespace Scheduler.Common;

public enum EmailOwnerKind
{
    Interviewer,
    User,
}

/// <summary>
/// Uniqueness of an email across grains and silos: one grain per (kind, normalised email), holding the
/// id of its owner. Key: <see cref="EmailIndex.Key"/>.
/// </summary>
public interface IEmailIndexGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves the email for <paramref name="ownerId"/>. True if it now belongs to that owner; false if another
    /// owner still holds it. A reservation whose owner no longer holds the email (left by a crash) is reclaimed.
    /// </summary>
    Task<bool> TryReserve(string ownerId);

    /// <summary>Frees the email if <paramref name="ownerId"/> holds the reservation; otherwise does nothing.</summary>
    Task Release(string ownerId);

    [ReadOnly]
    Task<string?> GetOwner();

    /// <summary>Whether a reservation by <paramref name="ownerId"/> would succeed now; reserves nothing.</summary>
    [ReadOnly]
    Task<bool> IsFreeFor(string ownerId);
}

/// <summary>A grain that can say whether it currently holds an email (asked by the index to detect orphans).</summary>
public interface IEmailHolder : IAddressable
{
    // Interleaves so the index can ask while the owner is itself waiting on the index.
    [AlwaysInterleave]
    Task<bool> HoldsEmail(string normalizedEmail);
}

public static class EmailIndex
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static string Key(EmailOwnerKind kind, string email) =>
        $"{kind.ToString().ToLowerInvariant()}/{Normalize(email)}";

    public static IEmailIndexGrain For(this IGrainFactory grains, EmailOwnerKind kind, string email) =>
        grains.GetGrain<IEmailIndexGrain>(Key(kind, email));
}
