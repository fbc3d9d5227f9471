using System.Diagnostics;
using System.Globalization;
using System.Text;
using Scheduler.Grains.Outbound;

namespace Scheduler.Grains.Webhooks;

/// <summary>
/// One attempt of one delivery: a signed POST through the guarded outbound client (public addresses only unless
/// configured, checked at connect time; no redirects; the <c>Outbound</c> timeout), the answer's body read up to a
/// bound and dropped. A 2xx is delivered; anything else, a redirect included, is a failure to retry.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookSecrets stored, TimeProvider time)
{
    public const string ClientName = "webhooks";

    private const long MaxResponseBytes = 64 * 1024;

    public async Task<AttemptOutcome> Send(DueDelivery delivery, CancellationToken cancellation)
    {
        var at = time.GetUtcNow();
        var timestamp = at.ToUnixTimeSeconds();
        var target = delivery.Target;
        var secrets = target.PreviousSecret is { } previous && target.PreviousSecretUntil > at
            ? new[] { stored.Read(target.Secret), stored.Read(previous) } : [stored.Read(target.Secret)];
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigning.Signature(delivery.Id, timestamp, delivery.Payload, secrets));
        request.Headers.UserAgent.ParseAdd("Scheduler-Webhooks/1.0");
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
            try
            {
                await OutboundHttp.ReadBounded(response.Content, MaxResponseBytes, cancellation);
            }
            catch (OutboundTooLargeException)
            {
                // The status is the answer; a body past the bound is not read further.
            }
            var code = (int)response.StatusCode;
            var error = code is >= 200 and < 300 ? null
                : code is >= 300 and < 400 ? $"Redirect ({code}) not followed." : $"The receiver answered {code}.";
            return new AttemptOutcome(delivery, at, code, error, Elapsed(clock));
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            return new AttemptOutcome(delivery, at, null, Describe(error), Elapsed(clock));
        }
    }

    private static int Elapsed(Stopwatch clock) => (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds);

    // The innermost reason is what an admin can act on (a refused address, a refused connection, a timeout).
    private static string Describe(Exception error)
    {
        var inner = error;
        while (inner.InnerException is not null && inner is not OutboundRefusedException)
        {
            inner = inner.InnerException;
        }
        var text = error is TaskCanceledException ? "The receiver did not answer in time." : $"{inner.GetType().Name}: {inner.Message}";
        return text.Length > 500 ? text[..500] : text;
    }
}
