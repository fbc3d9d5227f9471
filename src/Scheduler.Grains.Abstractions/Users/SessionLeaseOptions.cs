namespace Scheduler.Users;

/// <summary>
/// How long a silo may trust a user's session stamp once the user grain told it (<c>Jwt__SessionCheckSeconds</c>). A
/// change that ends a stamp is answered only after this long, so that from its answer on no silo accepts the old
/// stamp; a live-update connection checks its session this often. 0: silos ask on every request, and changes are
/// answered at once.
/// </summary>
public sealed class SessionLeaseOptions
{
    public const string Section = "Jwt";

    public int SessionCheckSeconds { get; set; } = 1;

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(0, SessionCheckSeconds));
}
