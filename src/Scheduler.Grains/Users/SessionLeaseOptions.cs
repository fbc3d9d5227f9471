namespace Scheduler.Grains.Users;

/// <summary>
/// How long a silo may trust a user's session stamp once the user grain told it (<c>Jwt__SessionCheckSeconds</c>, the
/// key the API reads for the same purpose). A change that ends a stamp is answered only after this long, so that from
/// its answer on no silo accepts the old stamp. 0: silos ask on every request, and changes are answered at once.
/// </summary>
public sealed class SessionLeaseOptions
{
    public const string Section = "Jwt";

    public int SessionCheckSeconds { get; set; } = 1;

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(0, SessionCheckSeconds));
}
