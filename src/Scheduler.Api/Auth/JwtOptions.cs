using System.Text;

namespace Scheduler.Api.Auth;

/// <summary>Configuration section <c>Jwt</c> (<c>Jwt__Secret</c>, <c>Jwt__Issuer</c>, <c>Jwt__Audience</c>, <c>Jwt__AccessTokenMinutes</c>; <c>Jwt__SessionCheckSeconds</c> is <see cref="Scheduler.Users.SessionLeaseOptions"/>).</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";
    public const int MinimumSecretBytes = 32;

    public string? Secret { get; set; }

    public string Issuer { get; set; } = "scheduler";

    public string Audience { get; set; } = "scheduler-api";

    public int AccessTokenMinutes { get; set; } = 15;

    public byte[] SecretBytes => Encoding.UTF8.GetBytes(Secret ?? "");

    public bool HasStrongSecret => SecretBytes.Length >= MinimumSecretBytes;
}
