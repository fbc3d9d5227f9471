using System.Net.Mail;

namespace Scheduler.Api.Common;

/// <summary>Collects field errors for a 400 validation problem; the edge rejects bad input before any grain sees it.</summary>
public sealed class RequestValidation
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 50;
    public const int MaxOffset = 1_000_000;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    /// <summary>The machine-readable <c>code</c> of the 400, when a rule gave one (the first that did).</summary>
    public string? Code { get; private set; }

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>Trims <paramref name="value"/> and checks it is present and at most <paramref name="max"/> characters.</summary>
    public string? Required(string field, string? value, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            Add(field, $"'{field}' is required.");
            return null;
        }
        return MaxLength(field, trimmed, max);
    }

    public string? Optional(string field, string? value, int max)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : MaxLength(field, trimmed, max);
    }

    public string? Email(string field, string? value)
    {
        var email = Required(field, value, 254);
        if (email is null)
        {
            return null;
        }
        var at = email.LastIndexOf('@');
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || at < 1
            || email.AsSpan(at + 1).IndexOf('.') < 1 || email.EndsWith('.') || email.Any(char.IsWhiteSpace))
        {
            Add(field, $"'{field}' must be an email address.");
            return null;
        }
        return email;
    }

    /// <summary>An optional value that must be one of <paramref name="allowed"/>, exactly as spelled there.</summary>
    public string? OneOf(string field, string? value, IReadOnlyList<string> allowed)
    {
        var given = Optional(field, value, 64);
        if (given is not null && !allowed.Contains(given, StringComparer.Ordinal))
        {
            Add(field, $"'{field}' must be one of {string.Join(", ", allowed)}.");
            return null;
        }
        return given;
    }

    /// <summary>An IANA time zone id known to this machine (e.g. <c>Europe/Berlin</c>, <c>UTC</c>).</summary>
    public string? TimeZone(string field, string? value, string fallback)
    {
        var zone = Optional(field, value, 64) ?? (value is null ? fallback : null);
        if (zone is null)
        {
            Add(field, $"'{field}' must be an IANA time zone such as 'Europe/Berlin'.");
            return null;
        }
        // Exactly as the zone spells its id: .NET's cache of zones already found ignores case, the files on disk do
        // not, so a differently cased id would pass in a warm process and fail to load after a restart.
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) || !found.HasIanaId || !string.Equals(found.Id, zone, StringComparison.Ordinal))
        {
            Add(field, $"'{zone}' is not an IANA time zone id (case-sensitive, such as 'Europe/Berlin').");
            return null;
        }
        return zone;
    }

    public (int Limit, int Offset) Paging(int? limit, int? offset)
    {
        if (limit is < 1 or > MaxLimit)
        {
            Add("limit", $"'limit' must be between 1 and {MaxLimit}.");
        }
        if (offset is < 0 or > MaxOffset)
        {
            Add("offset", $"'offset' must be between 0 and {MaxOffset}.");
        }
        return (limit ?? DefaultLimit, offset ?? 0);
    }

    /// <summary>A field error with the machine-readable <paramref name="code"/> of the rule it broke.</summary>
    public void Add(string field, string message, string code)
    {
        Add(field, message);
        Code ??= code;
    }

    public Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Problem() =>
        TypedResults.ValidationProblem(Errors, detail: string.Join(" ", _errors.Values.SelectMany(m => m)),
            extensions: Code is null ? null : new Dictionary<string, object?> { ["code"] = Code });

    private string? MaxLength(string field, string value, int max)
    {
        if (value.Length > max)
        {
            Add(field, $"'{field}' must be at most {max} characters.");
            return null;
        }
        // Control characters are no text anyone types (PostgreSQL cannot even store U+0000); tabs and line breaks are.
        if (value.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
        {
            Add(field, $"'{field}' must not contain control characters.");
            return null;
        }
        return value;
    }
}
