using Microsoft.AspNetCore.DataProtection;

namespace Scheduler.Grains.Webhooks;

/// <summary>
/// Webhook signing secrets at rest: stored as Data Protection ciphertext under the cluster's shared key ring (the one
/// linked calendars use, kept in the database: <see cref="Calendars.DatabaseXmlRepository"/>), with a purpose of their
/// own, and read back in the clear only to sign. A row written before secrets were protected holds the secret itself
/// (<c>whsec_...</c>, which no protected payload starts with): it still signs, and its next rotation protects it.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Scheduler.Webhooks.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Read(string stored) =>
        stored.StartsWith(WebhookSigning.SecretPrefix, StringComparison.Ordinal) ? stored : _protector.Unprotect(stored);
}
