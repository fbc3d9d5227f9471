using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Scheduler.Testing;

/// <summary>
/// A client of the live-update hub (the .NET SignalR client): records every <c>changed</c> message and, when its
/// connection drops, connects to the next address (a load balancer's part) and subscribes again from the last
/// position it heard.
/// </summary>
public sealed class LiveListener : IAsyncDisposable
{
    private readonly Func<Task<string?>> _token;
    private readonly IReadOnlyList<Uri> _addresses;
    private readonly Func<HttpMessageHandler>? _handler;
    private readonly bool _reconnect;
    private readonly Channel<JsonElement> _arrived = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _heard = [];
    private HubConnection _connection = null!;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _address;
    private bool _disposed;

    private LiveListener(IReadOnlyList<Uri> addresses, Func<Task<string?>> token, Func<HttpMessageHandler>? handler, bool reconnect)
    {
        _reconnect = reconnect;
        _addresses = addresses;
        _token = token;
        _handler = handler;
    }

    /// <summary>Every message heard so far, in order.</summary>
    public IReadOnlyList<JsonElement> Heard
    {
        get
        {
            lock (_heard)
            {
                return [.. _heard];
            }
        }
    }

    /// <summary>The last position heard (what a client sends back on reconnecting).</summary>
    public long? LastPosition { get; private set; }

    /// <summary>How many times it connected again after a drop.</summary>
    public int Reconnects { get; private set; }

    public HubConnectionState State => _connection.State;

    /// <summary>Completes when a connection of it is closed (by the server, or a drop).</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Connects to the first of <paramref name="addresses"/> and subscribes from now. A <paramref name="handler"/>
    /// (an in-memory test server's) means long polling; otherwise WebSockets. Without <paramref name="reconnect"/>, a
    /// dropped connection stays closed.
    /// </summary>
    public static async Task<LiveListener> Connect(
        IReadOnlyList<Uri> addresses, Func<Task<string?>> token, Func<HttpMessageHandler>? handler = null, bool reconnect = true)
    {
        var listener = new LiveListener(addresses, token, handler, reconnect);
        await listener.Open();
        await listener.Subscribe(null);
        return listener;
    }

    public Task Subscribe(long? since) => _connection.InvokeAsync("Subscribe", since);

    private async Task Open()
    {
        var hub = new Uri(_addresses[_address % _addresses.Count], "/hubs/scheduler");
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, options =>
            {
                options.AccessTokenProvider = _token;
                if (_handler is { } handler)
                {
                    options.HttpMessageHandlerFactory = _ => handler();
                    options.Transports = HttpTransportType.LongPolling;
                }
                else
                {
                    options.Transports = HttpTransportType.WebSockets;
                    options.SkipNegotiation = true;
                }
            })
            .Build();
        connection.On<JsonElement>("changed", message =>
        {
            lock (_heard)
            {
                _heard.Add(message);
                LastPosition = message.GetProperty("position").GetInt64();
            }
            _arrived.Writer.TryWrite(message);
        });
        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return _disposed || !_reconnect ? Task.CompletedTask : Reconnect();
        };
        _connection = connection;
        await connection.StartAsync();
    }

    private async Task Reconnect()
    {
        for (var attempt = 0; attempt < 100 && !_disposed; attempt++)
        {
            _address++;
            try
            {
                await Open();
                await Subscribe(LastPosition);
                Reconnects++;
                return;
            }
            catch (Exception) when (attempt < 99)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The first message from now on (or already waiting) that <paramref name="match"/> accepts; throws after <paramref name="within"/>.</summary>
    public async Task<JsonElement> WaitFor(Func<JsonElement, bool> match, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var message = await _arrived.Reader.ReadAsync(timeout.Token);
                if (match(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching live message within {within.TotalMilliseconds} ms; heard: "
                + string.Join(", ", Heard.Select(m => m.GetRawText())));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _connection.DisposeAsync();
    }
}
