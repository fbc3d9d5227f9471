using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Scheduler.Grains.Outbound;

/// <summary>
/// The one guarded HTTP path to URLs users type (calendar sync, webhooks): the address is checked when the
/// socket connects, after DNS, and the socket goes to exactly the address that was checked, so neither a
/// redirect nor DNS rebinding reaches a forbidden network.
/// </summary>
public static class OutboundHttp
{
    public static IHttpClientBuilder AddOutboundHttpClient(this IServiceCollection services, string name, bool followRedirects)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<OutboundOptions>().BindConfiguration("Outbound");
        var builder = services.AddHttpClient(name)
            .ConfigureHttpClient((sp, client) =>
                client.Timeout = TotalTimeout(sp.GetRequiredService<IOptions<OutboundOptions>>().Value) + TimeSpan.FromSeconds(1))
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<OutboundOptions>>();
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = followRedirects,
                    MaxAutomaticRedirections = Math.Max(1, options.CurrentValue.MaxRedirects),
                    UseCookies = false,
                    UseProxy = false,
                    ConnectTimeout = TimeSpan.FromSeconds(options.CurrentValue.TimeoutSeconds),
                    ConnectCallback = (context, token) => Connect(context.DnsEndPoint, options.CurrentValue, token),
                };
            });
        // Above the guarded handler, so every attempt still connects through the address check. A pipeline per
        // authority: one failing server opens only its own circuit. Retries are few and quick, for idempotent methods
        // only (never a webhook's POST nor a calendar PUT/DELETE, which their senders retry with their own backoff),
        // and never for a refused address.
        builder.AddStandardResilienceHandler().Configure((resilience, sp) =>
        {
            var outbound = sp.GetRequiredService<IOptions<OutboundOptions>>().Value;
            var attempt = TimeSpan.FromSeconds(outbound.TimeoutSeconds);
            resilience.AttemptTimeout.Timeout = attempt;
            resilience.TotalRequestTimeout.Timeout = TotalTimeout(outbound);
            resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * outbound.TimeoutSeconds + 1));
            resilience.Retry.MaxRetryAttempts = 2;
            resilience.Retry.Delay = TimeSpan.FromMilliseconds(500);
            resilience.Retry.ShouldHandle = args => args.Outcome.Exception is HttpRequestException { InnerException: OutboundRefusedException }
                ? ValueTask.FromResult(false)
                : ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome));
            resilience.Retry.DisableForUnsafeHttpMethods();
        }).SelectPipelineByAuthority();
        return builder;
    }

    // Three attempts of TimeoutSeconds each, and the two short waits between them.
    private static TimeSpan TotalTimeout(OutboundOptions options) => TimeSpan.FromSeconds(3 * options.TimeoutSeconds + 2);

    /// <summary>Reads the body, refusing more than <paramref name="maxBytes"/> (announced or actual).</summary>
    public static async Task<byte[]> ReadBounded(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Headers.ContentLength > maxBytes)
        {
            throw new OutboundTooLargeException(maxBytes);
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new OutboundTooLargeException(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async ValueTask<Stream> Connect(DnsEndPoint endPoint, OutboundOptions options, CancellationToken token)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, token);
        if (addresses.Length == 0)
        {
            throw new OutboundRefusedException($"The host {endPoint.Host} has no address.");
        }

        if (!options.AllowPrivateNetworks && !addresses.All(OutboundAddresses.IsPublic))
        {
            throw new OutboundRefusedException($"The host {endPoint.Host} resolves to a non-public address.");
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
