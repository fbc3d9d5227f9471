using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Scheduler.Grains.Calendars;

/// <summary>The secret of a linked calendar; stored only as Data Protection ciphertext, never returned or logged.</summary>
public sealed record CalendarCredential(string? Username, string Secret)
{
    // Keeps the secret out of any log line or exception message that formats the record.
    public override string ToString() => "CalendarCredential(hidden)";
}

/// <summary>Protects and reads calendar credentials with the cluster's shared Data Protection key ring.</summary>
public sealed class CalendarCredentials(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Scheduler.LinkedCalendars.Credential.v1");

    public string Protect(CalendarCredential credential) => _protector.Protect(JsonSerializer.Serialize(credential));

    public CalendarCredential? Read(string? protectedText) =>
        protectedText is null ? null : JsonSerializer.Deserialize<CalendarCredential>(_protector.Unprotect(protectedText));
}
