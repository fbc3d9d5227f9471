using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// Sends messages over SMTP with MailKit on at most <see cref="EmailOptions.MaxConnections"/> connections, each
/// kept open and reused; a connection that failed is dropped and the next send opens a new one.
/// </summary>
public sealed class SmtpDelivery : IAsyncDisposable
{
    private readonly EmailOptions _options;
    private readonly Channel<SmtpClient> _idle;
    private readonly SemaphoreSlim _slots;

    public SmtpDelivery(IOptions<EmailOptions> options)
    {
        _options = options.Value;
        var connections = Math.Max(1, _options.MaxConnections);
        _idle = Channel.CreateBounded<SmtpClient>(connections);
        _slots = new SemaphoreSlim(connections, connections);
    }

    public int MaxInFlight => Math.Max(1, _options.MaxConnections);

    public async Task Send(MimeMessage message, CancellationToken cancellation)
    {
        await _slots.WaitAsync(cancellation);
        var client = _idle.Reader.TryRead(out var idle) ? idle : new SmtpClient { Timeout = 30_000 };
        try
        {
            if (!client.IsConnected)
            {
                var smtp = _options.Smtp;
                await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security switch
                {
                    SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                    SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                    _ => SecureSocketOptions.None,
                }, cancellation);
                if (smtp.Username is { Length: > 0 } user)
                {
                    await client.AuthenticateAsync(user, smtp.Password ?? "", cancellation);
                }
            }
            await client.SendAsync(message, cancellation);
            _idle.Writer.TryWrite(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _idle.Writer.TryComplete();
        while (_idle.Reader.TryRead(out var client))
        {
            try
            {
                await client.DisconnectAsync(quit: true);
            }
            catch (Exception error) when (error is IOException or MailKit.ProtocolException or OperationCanceledException or InvalidOperationException)
            {
                // Closing a connection the server already dropped.
            }
            client.Dispose();
        }
        _slots.Dispose();
    }
}
