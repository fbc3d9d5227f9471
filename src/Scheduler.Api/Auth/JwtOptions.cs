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
    /// How long a silo trusts what it last heard of a user's session stamp (<c>Jwt__SessionCheckSeconds</c>): an access
    /// token of a user disabled, deleted, signed out everywhere or given other roles stops working within this time.
    /// </summary>
    public int SessionCheckSeconds { get; set; } = 10;

    public byte[] SecretBytes => Encoding.UTF8.GetBytes(Secret ?? "");

    public bool HasStrongSecret => SecretBytes.Length >= MinimumSecretBytes;
}
