using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Grains.CalendarFeeds;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Outbound;

namespace Scheduler.Grains.Calendars;

/// <summary>What a push came to: the resource's entity tag after a PUT (null after a DELETE), or the error.</summary>
public sealed record PushOutcome(bool Succeeded, string? ETag, string? Error);

/// <summary>
/// Writes one interview into a CalDAV collection through the guarded outbound client, at a resource named after its
/// UID (<c>&lt;collection&gt;/&lt;uid&gt;.ics</c>), so a push repeated after a crash lands on the same resource. A create
/// sends <c>If-None-Match: *</c> and an update <c>If-Match</c> with the tag the last push got; when the server answers
/// 412 (the resource exists already, or changed since) the current tag is read and the PUT is sent again with it. A
/// DELETE that finds nothing (404) has what it wanted.
/// </summary>
public sealed class CalDavWriter(IHttpClientFactory clients, IOptions<CalendarFeedOptions> feed, IOptions<OutboundOptions> outbound)
{
    public async Task<PushOutcome> Push(DuePush push, CalendarCredential? credential, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(CalendarFetcher.ClientName);
        var resource = ResourceUrl(push.Url, push.InterviewId);
        if (push.Op == CalendarPushOps.Delete)
        {
            using var delete = CalendarFetcher.Request(HttpMethod.Delete, resource, push.Auth, credential);
            using var deleted = await client.SendAsync(delete, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return deleted.IsSuccessStatusCode || deleted.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone
                ? new PushOutcome(true, null, null)
                : Failure(deleted);
        }
        var interview = JsonSerializer.Deserialize(push.Data, NotificationJson.Default.InterviewEvent)
            ?? throw new InvalidDataException("The push carries no interview.");
        var body = IcsFeed.Resource(interview, feed.Value).Content;
        var etag = push.ETag;
        // Three PUTs at most, each after a 412 with the tag the server holds then (another writer may change it again).
        for (var round = 0; ; round++)
        {
            using var put = CalendarFetcher.Request(HttpMethod.Put, resource, push.Auth, credential);
            put.Content = new StringContent(body, Encoding.UTF8, "text/calendar");
            put.Headers.TryAddWithoutValidation(etag is null ? "If-None-Match" : "If-Match", etag ?? "*");
            using var response = await client.SendAsync(put, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new PushOutcome(true, response.Headers.ETag?.ToString() ?? await CurrentTag(client, resource, push, credential, cancellationToken), null);
            }
            if (response.StatusCode != HttpStatusCode.PreconditionFailed || round == 2)
            {
                return Failure(response);
            }
            etag = await CurrentTag(client, resource, push, credential, cancellationToken);
        }
    }

    /// <summary>The resource's entity tag on the server now, or null when it does not exist.</summary>
    private async Task<string?> CurrentTag(HttpClient client, string resource, DuePush push, CalendarCredential? credential,
        CancellationToken cancellationToken)
    {
        using var get = CalendarFetcher.Request(HttpMethod.Get, resource, push.Auth, credential);
        using var response = await client.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The calendar server answered {(int)response.StatusCode}.", null, response.StatusCode);
        }
        await OutboundHttp.ReadBounded(response.Content, outbound.Value.MaxResponseBytes, cancellationToken);
        return response.Headers.ETag?.ToString();
    }

    /// <summary>The resource of an interview in a collection: its UID (<c>&lt;id&gt;@scheduler</c>), escaped, with <c>.ics</c>.</summary>
    public static string ResourceUrl(string collectionUrl, string interviewId) =>
        (collectionUrl.EndsWith('/') ? collectionUrl : collectionUrl + "/") + Uri.EscapeDataString(IcsCalendar.Uid(interviewId)) + ".ics";

    private static PushOutcome Failure(HttpResponseMessage response) =>
        new(false, null, $"The calendar server answered {(int)response.StatusCode} to the {response.RequestMessage?.Method} of an interview.");
}
