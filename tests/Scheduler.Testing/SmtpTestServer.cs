using System.Diagnostics;
using System.Net.Sockets;
using MimeKit;

namespace Scheduler.Testing;

/// <summary>
/// A real SMTP server for the tests: Debian's aiosmtpd (<c>python3-aiosmtpd</c>, run by <c>/usr/bin/python3</c>) on
/// a free loopback port, keeping every message it accepts in a Maildir under a temporary folder. It can be stopped
/// and started again on the same port (an outage), and is killed and its folder deleted on dispose.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-smtp-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public SmtpTestServer()
    {
        Port = Loopback.FreePort();
        Directory.CreateDirectory(_directory);
        Start();
    }

    public int Port { get; }

    private string Maildir => Path.Combine(_directory, "mail");

    public void Start()
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: the email tests need Debian's python3-aiosmtpd (apt-get install python3-aiosmtpd).");
        }
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("aiosmtpd did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Accepts())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"aiosmtpd did not listen on 127.0.0.1:{Port} (python3-aiosmtpd installed?).");
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Kills the server: connections are refused until <see cref="Start"/>.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Every message received so far, parsed with MimeKit.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var folder = Path.Combine(Maildir, "new");
        if (!Directory.Exists(folder))
        {
            return [];
        }
        var messages = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            messages.Add(MimeMessage.Load(file));
        }
        return messages;
    }

    /// <summary>Waits (up to <paramref name="timeout"/>, 20 s by default) until <paramref name="done"/> holds for the messages matching <paramref name="filter"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitFor(Func<MimeMessage, bool> filter, Func<IReadOnlyList<MimeMessage>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var matching = Messages().Where(filter).ToList();
            if (done(matching))
            {
                return matching;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The SMTP server holds {matching.Count} matching messages, not what the test waited for.");
            }
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being written as the server died; the temporary folder goes with the machine's.
        }
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
