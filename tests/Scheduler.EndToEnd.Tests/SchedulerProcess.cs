using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Scheduler.EndToEnd.Tests;

/// <summary>The built service (Scheduler.Silo.dll) started as a real process on loopback ports, with its own data folder.</summary>
public sealed class SchedulerProcess : IAsyncDisposable
{
    public const string AdminEmail = "admin@e2e.test";
    public const string AdminPassword = "e2e-admin-password";

    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory;
    private readonly IDictionary<string, string?> _overrides;
    private Process _process = null!;
    private int _launches;
    private int _launchOutputStart;

    private SchedulerProcess(string dataDirectory, IDictionary<string, string?> overrides)
    {
        _dataDirectory = dataDirectory;
        _overrides = overrides;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static SchedulerProcess Start(string dataDirectory, IDictionary<string, string?>? overrides = null)
    {
        var handle = new SchedulerProcess(dataDirectory, overrides ?? new Dictionary<string, string?>());
        handle.Launch();
        return handle;
    }

    /// <summary>Starts the process on free loopback ports (HTTP, silo, gateway).</summary>
    private void Launch()
    {
        _launches++;
        lock (_output)
        {
            _launchOutputStart = _output.Length;
        }
        var httpPort = Loopback.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServiceDll());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{httpPort}");
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Scheduler"] = $"Data Source={Path.Combine(_dataDirectory, "scheduler.db")}",
            ["Jwt__Secret"] = "end-to-end-signing-key-0123456789-abcdefgh",
            ["Seed__AdminEmail"] = AdminEmail,
            ["Seed__AdminPassword"] = AdminPassword,
            ["Orleans__SiloPort"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
            ["RateLimiting__PerUserPerMinute"] = "1000000",
            // The runtime's debugger pipes and diagnostics socket go in /tmp and are removed only by a clean exit;
            // these processes are often killed.
            ["DOTNET_EnableDiagnostics"] = "0",
        };
        foreach (var (key, value) in _overrides)
        {
            environment[key] = value;
        }
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
    }

    /// <summary>Polls <c>/api/health</c> until it answers 200 (or the process dies, or 60 s pass).</summary>
    public async Task WaitUntilHealthy()
    {
        // No base address: a relaunch below moves the service to other ports.
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(50);
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                // A port picked as free was taken before the process bound it (another test's client socket, say):
                // start again on other ports.
                if (_launches < 3 && Output[_launchOutputStart..].Contains("already in use", StringComparison.OrdinalIgnoreCase))
                {
                    _process.Dispose();
                    Launch();
                    continue;
                }
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await client.GetAsync(new Uri(BaseAddress, "/api/health"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too busy to answer within 5 s
            }
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
        throw new TimeoutException($"The service did not become healthy in 60 s:\n{Output}");
    }

    /// <summary>A client signed in as the seeded admin; its requests give up after <paramref name="timeout"/> (30 s unless said).</summary>
    public async Task<HttpClient> AdminClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.UseTokens(await client.SignIn(AdminEmail, AdminPassword));
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful shutdown an orchestrator asks for.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            await Kill();
        }
        _process.Dispose();
    }

    private bool _disposed;

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string ServiceDll()
    {
        // tests/Scheduler.EndToEnd.Tests/bin/<Configuration>/net10.0/ -> src/Scheduler.Silo/bin/<Configuration>/net10.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var dll = Path.Combine(RepositoryRoot.Path, "src", "Scheduler.Silo", "bin", configuration, output.Name, "Scheduler.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first.", dll);
    }
}

/// <summary>A temporary folder deleted at the end of the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "scheduler-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
