using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Scheduler.Testing;

/// <summary>What the receiver got: the Standard Webhooks headers, the body, and which secrets verified it.</summary>
/// <param name="VerifiedBy">The secrets (of <see cref="WebhookReceiver.Secrets"/>) whose verification passed.</param>
public sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, string Body, IReadOnlyList<string> VerifiedBy, int Answered)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;
}

/// <summary>
/// A webhook receiver on a free loopback port (Kestrel). Each request is checked by an independent verifier, the
/// StandardWebhooks package (not our signing code), against every secret in <see cref="Secrets"/>. It fails the
/// first <see cref="FailFirst"/> attempts of each message (or all of them), or redirects, as a test asks.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hooks";

    /// <summary>Secrets to verify with (set once the subscription is created).</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    /// <summary>Attempts of each message answered 500 before one is answered 204.</summary>
    public int FailFirst { get; set; }

    public bool AlwaysFail { get; set; }

    /// <summary>Answer 302 to another path on this receiver instead.</summary>
    public bool Redirect { get; set; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = Loopback.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port);
        app.MapPost("/hooks", receiver.Receive);
        app.MapPost("/elsewhere", (HttpContext context) => receiver.Receive(context));
        await app.StartAsync();
        return receiver;
    }

    private async Task Receive(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        var id = headers["webhook-id"].ToString();
        var attempt = _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);
        var status = Redirect && context.Request.Path == "/hooks" ? 302 : AlwaysFail || attempt <= FailFirst ? 500 : 204;
        var verified = Secrets.Where(secret => Verifies(secret, body, headers)).ToArray();
        _received.Enqueue(new ReceivedWebhook(id, headers["webhook-timestamp"], headers["webhook-signature"], body, verified, status));
        if (status == 302)
        {
            context.Response.Headers.Location = $"http://127.0.0.1:{Port}/elsewhere";
        }
        context.Response.StatusCode = status;
    }

    // Each signature of the header is handed to the library alone: StandardWebhooks 1.1.2 stops before the last of
    // several space-separated signatures (its loop ends when no space follows), so a rotation's second one would go unchecked.
    private static bool Verifies(string secret, string body, IHeaderDictionary headers) =>
        headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(signature =>
        {
            var one = new HeaderDictionary
            {
                ["webhook-id"] = headers["webhook-id"],
                ["webhook-timestamp"] = headers["webhook-timestamp"],
                ["webhook-signature"] = signature,
            };
            try
            {
                new StandardWebhook(secret).Verify(body, one);
                return true;
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
            {
                return false;
            }
        });

    /// <summary>Waits (up to 20 s) until what was received satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitFor(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var received = Received;
            if (condition(received))
            {
                return received;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The receiver did not get {what ?? "what was expected"}; it got {received.Count}: "
                    + string.Join(", ", received.Select(r => $"{r.Id} {r.Answered}")));
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
