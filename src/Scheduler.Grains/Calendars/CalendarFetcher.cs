using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Scheduler.Calendars;
using Scheduler.Grains.Outbound;

namespace Scheduler.Grains.Calendars;

/// <summary>What a fetch found: the calendar objects, or nothing when the version is the one read last time.</summary>
public sealed record FetchResult(bool Unchanged, IReadOnlyList<string> Objects, string? VersionTag);

/// <summary>
/// Fetches a linked calendar through the guarded outbound client: an ICS subscription with a conditional GET, a
/// CalDAV collection with a PROPFIND for its sync-token/ctag (RFC 6578, CalendarServer) and, when that changed, a
/// calendar-query REPORT limited to the window (RFC 4791).
/// </summary>
public sealed class CalendarFetcher(IHttpClientFactory clients, IOptions<OutboundOptions> outbound)
{
    public const string ClientName = "calendar-sync";

    private static readonly XNamespace Dav = "DAV:";
    private static readonly XNamespace CalDav = "urn:ietf:params:xml:ns:caldav";
    private static readonly XNamespace CalendarServer = "http://calendarserver.org/ns/";

    public async Task<FetchResult> Fetch(SyncTarget target, CalendarCredential? credential, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        if (target.Kind == LinkedCalendarKinds.Ics)
        {
            using var get = Request(HttpMethod.Get, target.Url, target.Auth, credential);
            if (target.VersionTag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                get.Headers.IfNoneMatch.Add(tag);
            }
            using var response = await client.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return new FetchResult(true, [], target.VersionTag);
            }
            var body = await Body(response, cancellationToken);
            return new FetchResult(false, [body], response.Headers.ETag?.ToString());
        }

        var version = await CollectionVersion(client, target, credential, cancellationToken);
        if (version is not null && version == target.VersionTag)
        {
            return new FetchResult(true, [], version);
        }
        using var report = Request(new HttpMethod("REPORT"), target.Url, target.Auth, credential);
        report.Headers.Add("Depth", "1");
        report.Content = new StringContent(CalendarQuery(from, to), Encoding.UTF8, "application/xml");
        using var answer = await client.SendAsync(report, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var multistatus = XDocument.Parse(await Body(answer, cancellationToken));
        var objects = multistatus.Descendants(CalDav + "calendar-data").Select(e => e.Value).Where(v => v.Length > 0).ToList();
        return new FetchResult(false, objects, version);
    }

    private async Task<string?> CollectionVersion(HttpClient client, SyncTarget target, CalendarCredential? credential, CancellationToken cancellationToken)
    {
        using var propfind = Request(new HttpMethod("PROPFIND"), target.Url, target.Auth, credential);
        propfind.Headers.Add("Depth", "0");
        propfind.Content = new StringContent(
            """<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><d:sync-token/><cs:getctag/></d:prop></d:propfind>""",
            Encoding.UTF8, "application/xml");
        using var response = await client.SendAsync(propfind, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var document = XDocument.Parse(await Body(response, cancellationToken));
        var token = document.Descendants(Dav + "sync-token").Select(e => e.Value).FirstOrDefault(v => v.Length > 0);
        var ctag = document.Descendants(CalendarServer + "getctag").Select(e => e.Value).FirstOrDefault(v => v.Length > 0);
        return token ?? ctag;
    }

    private async Task<string> Body(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The calendar server answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }
        var bytes = await OutboundHttp.ReadBounded(response.Content, outbound.Value.MaxResponseBytes, cancellationToken);
        return Encoding.UTF8.GetString(bytes);
    }

    internal static HttpRequestMessage Request(HttpMethod method, string url, string auth, CalendarCredential? credential)
    {
        var request = new HttpRequestMessage(method, url);
        if (credential is not null && auth == LinkedCalendarAuth.Basic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Secret}")));
        }
        else if (credential is not null && auth == LinkedCalendarAuth.Bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Secret);
        }
        return request;
    }

    private static string CalendarQuery(DateTimeOffset from, DateTimeOffset to) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
          <d:prop><d:getetag/><c:calendar-data/></d:prop>
          <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
            <c:time-range start="{Utc(from)}" end="{Utc(to)}"/>
          </c:comp-filter></c:comp-filter></c:filter>
        </c:calendar-query>
        """;

    private static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
