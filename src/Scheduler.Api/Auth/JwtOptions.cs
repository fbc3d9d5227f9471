using System.Text;

namespace Scheduler.Api.Auth;

/// <summary>Configuration section <c>Jwt</c> (<c>Jwt__Secret</c>, <c>Jwt__Issuer</c>, <c>Jwt__Audience</c>, <c>Jwt__AccessTokenMinutes</c>, <c>Jwt__SessionCheckSeconds</c>).</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";
    public const int MinimumSecretBytes = 32;

    public string? Secret { get; set; }

    public string Issuer { get; set; } = "scheduler";

    public string Audience { get; set; } = "scheduler-api";

    public int AccessTokenMinutes { get; set; } = 15;

    /// <summary>
    /// How long a user grain lets a silo trust a session stamp (<c>Jwt__SessionCheckSeconds</c>, read by the grains
    /// for the leases they grant): a change that ends a user's access tokens is answered after it. Here, how often a
    /// live-update connection checks its session again.
    /// </summary>
    public int SessionCheckSeconds { get; set; } = 1;

    public byte[] SecretBytes => Encoding.UTF8.GetBytes(Secret ?? "");

    public bool HasStrongSecret => SecretBytes.Length >= MinimumSecretBytes;
}
