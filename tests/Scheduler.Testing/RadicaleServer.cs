using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Scheduler.Testing;

/// <summary>
/// A real CalDAV server for the tests: Debian's Radicale on a free loopback port, with a temporary storage folder
/// and htpasswd auth (one user, plain entries). Calendars are created with MKCALENDAR and events with PUT, over
/// CalDAV. Killed and its folder deleted on dispose.
/// </summary>
public sealed class RadicaleServer : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-radicale-" + Guid.NewGuid().ToString("N"));
    private readonly Process _process;
    // A fresh connection per request: Radicale answers HTTP/1.0 and closes, yet .NET may hand the next request to
    // that connection before its FIN arrives (measured: every reused connection failed, "response ended
    // prematurely"; a Connection: close request header did not prevent the reuse).
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    public RadicaleServer()
    {
        Port = Loopback.FreePort();
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "users"), $"{User}:{Password}\n");
        File.WriteAllText(Path.Combine(_directory, "config"), $"""
            [server]
            hosts = 127.0.0.1:{Port}
            [auth]
            type = htpasswd
            htpasswd_filename = {Path.Combine(_directory, "users")}
            htpasswd_encryption = plain
            [storage]
            filesystem_folder = {Path.Combine(_directory, "collections")}
            [rights]
            type = owner_only
            [logging]
            level = warning
            """);
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { "-m", "radicale", "--config", Path.Combine(_directory, "config") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Radicale did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Accepts())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Radicale did not listen on 127.0.0.1:{Port} (apt-get install radicale).");
            }
            Thread.Sleep(50);
        }
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
    }

    public string User => "recruiter";

    public string Password => "Radicale-Test-Pass-8341!";

    public int Port { get; }

    /// <summary>What Radicale printed (warnings and errors), newest last.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>The URL of the collection <paramref name="name"/> of the user.</summary>
    public string CalendarUrl(string name) => $"http://127.0.0.1:{Port}/{User}/{name}/";

    /// <summary>Creates a calendar collection (MKCALENDAR); returns its URL.</summary>
    public async Task<string> CreateCalendar(string name)
    {
        var url = CalendarUrl(name);
        using var request = new HttpRequestMessage(new HttpMethod("MKCALENDAR"), url);
        using var response = await Send(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"MKCALENDAR {url} answered {(int)response.StatusCode}.");
        }
        return url;
    }

    /// <summary>Stores one calendar object (a VCALENDAR text) under <paramref name="resource"/> (PUT).</summary>
    public async Task Put(string calendarUrl, string resource, string ics)
    {
        using var content = new StringContent(ics.ReplaceLineEndings("\r\n"), Encoding.UTF8, "text/calendar");
        using var response = await Send(new HttpRequestMessage(HttpMethod.Put, calendarUrl + resource) { Content = content });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {resource} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task Delete(string calendarUrl, string resource)
    {
        using var response = await Send(new HttpRequestMessage(HttpMethod.Delete, calendarUrl + resource));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The status and body of a GET of <paramref name="url"/> (a calendar object resource).</summary>
    public async Task<(HttpStatusCode Status, string Body)> Get(string url)
    {
        using var response = await Send(new HttpRequestMessage(HttpMethod.Get, url));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The calendar object resources in a collection (PROPFIND, Depth 1): their hrefs.</summary>
    public async Task<IReadOnlyList<string>> Resources(string calendarUrl)
    {
        using var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), calendarUrl)
        {
            Content = new StringContent("""<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>""",
                Encoding.UTF8, "application/xml"),
        };
        request.Headers.Add("Depth", "1");
        using var response = await Send(request);
        response.EnsureSuccessStatusCode();
        var document = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.Descendants(System.Xml.Linq.XName.Get("href", "DAV:")).Select(e => e.Value).Where(href => href.EndsWith(".ics", StringComparison.Ordinal))];
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        _client.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being written as the server died; the temporary folder goes with the machine's.
        }
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request)
    {
        try
        {
            return await _client.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"{request.Method} {request.RequestUri} failed; Radicale printed:\n{Log}", e);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _log.Enqueue(line);
        while (_log.Count > 200 && _log.TryDequeue(out _))
        {
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
