using System.ComponentModel.DataAnnotations;
using Scheduler.Calendars;

namespace Scheduler.Api.Calendars;

/// <summary>
/// Body of <c>POST /api/interviewers/{id}/calendars</c>. <c>password</c> and <c>token</c> are stored encrypted and never returned.
/// <c>writeBack</c> (CalDAV only; default false) writes the interviewer's interviews into the calendar.
/// </summary>
public sealed record LinkCalendarRequest(
    [property: Required] string? Kind,
    [property: Required, StringLength(LinkedCalendarValidation.MaxUrl)] string? Url,
    [property: StringLength(200)] string? Name = null,
    [property: StringLength(256)] string? Username = null,
    [property: StringLength(LinkedCalendarValidation.MaxSecret)] string? Password = null,
    [property: StringLength(LinkedCalendarValidation.MaxSecret)] string? Token = null,
    bool? WriteBack = null);

/// <summary>
/// A linked calendar and its sync. The busy blocks in use are as of <c>lastSyncedAt</c> (<c>busyAgeSeconds</c> old):
/// while the calendar cannot be reached they stay in use and <c>lastError</c> says why.
/// </summary>
public sealed record LinkedCalendarResponse(
    string Id,
    string InterviewerId,
    string Kind,
    string Url,
    string? Name,
    string Auth,
    DateTime CreatedAt,
    DateTime? LastSyncedAt,
    DateTime? LastAttemptAt,
    string? LastError,
    int BusyCount,
    long? BusyAgeSeconds,
    bool WriteBack,
    DateTime? LastPushedAt,
    string? LastPushError)
{
    public static LinkedCalendarResponse From(LinkedCalendar c, DateTimeOffset now) => new(
        c.Id, c.InterviewerId, c.Kind, LinkedCalendarValidation.Redact(c.Kind, c.Url), c.Name, c.Auth, c.CreatedAt.UtcDateTime,
        c.LastSyncedAt?.UtcDateTime, c.LastAttemptAt?.UtcDateTime, c.LastError, c.BusyCount,
        c.LastSyncedAt is { } synced ? (long)Math.Max(0, (now - synced).TotalSeconds) : null, c.WriteBack, c.LastPushedAt?.UtcDateTime,
        c.LastPushError);
}

public sealed record LinkedCalendarListResponse(IReadOnlyList<LinkedCalendarResponse> Data);

public static class LinkedCalendarValidation
{
    public const int MaxUrl = 2000;
    public const int MaxSecret = 4096;

    public static LinkCalendarCommand? ToCommand(LinkCalendarRequest request, Common.RequestValidation validation)
    {
        var kind = validation.OneOf("kind", request.Kind, [LinkedCalendarKinds.Ics, LinkedCalendarKinds.CalDav]);
        if (request.Kind is null)
        {
            validation.Add("kind", "'kind' is required (ics or caldav).");
        }
        var url = validation.Required("url", request.Url, MaxUrl);
        if (url is not null && UrlProblem(url) is { } problem)
        {
            validation.Add("url", problem);
        }
        var name = validation.Optional("name", request.Name, 200);
        var username = validation.Optional("username", request.Username, 256);
        var password = validation.Optional("password", request.Password, MaxSecret);
        var token = validation.Optional("token", request.Token, MaxSecret);
        if (password is not null && token is not null)
        {
            validation.Add("token", "Give a password (basic auth) or a token (bearer), not both.");
        }
        if (password is not null && username is null)
        {
            validation.Add("username", "Basic auth needs a username with the password.");
        }
        if (request.WriteBack == true && kind == LinkedCalendarKinds.Ics)
        {
            validation.Add("writeBack", "Only a CalDAV calendar can be written back to; an ICS subscription is read only.");
        }
        if (!validation.IsValid)
        {
            return null;
        }
        var auth = password is not null ? LinkedCalendarAuth.Basic : token is not null ? LinkedCalendarAuth.Bearer : LinkedCalendarAuth.None;
        return new LinkCalendarCommand(kind!, url!, name, auth, username, password ?? token, request.WriteBack ?? false);
    }

    /// <summary>
    /// The URL as shown back: never its query or fragment, and for a subscription (ics) not its path either, only its
    /// last segment if that names a file: the providers put the secret there (Google's <c>…/private-{secret}/basic.ics</c>,
    /// Outlook's <c>…/{secret}/calendar.ics</c>, iCloud's <c>…/published/2/{token}</c>), and the URL alone reads the whole
    /// calendar. A CalDAV collection's path is kept: its access is the credential, stored apart.
    /// </summary>
    public static string Redact(string kind, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "";
        }
        if (kind != LinkedCalendarKinds.Ics)
        {
            return uri.GetLeftPart(UriPartial.Path);
        }
        var last = uri.Segments[^1];
        return uri.GetLeftPart(UriPartial.Authority) + (last.EndsWith(".ics", StringComparison.OrdinalIgnoreCase)
            ? (uri.Segments.Length > 2 ? "/…/" : "/") + last
            : "/…");
    }

    private static string? UrlProblem(string url) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var uri) ? "'url' must be an absolute URL."
        : uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps ? "'url' must use http or https."
        : uri.UserInfo.Length > 0 ? "'url' must not carry a user name or password; give them as username and password."
        : null;
}
