using System.Diagnostics;
using System.Threading.Channels;
using Scheduler.EndToEnd.Tests.Cluster;

namespace Scheduler.EndToEnd.Tests;

/// <summary>
/// The hub as a browser app connects to it: the npm <c>@microsoft/signalr</c> client (tests/live-js, installed with
/// <c>npm ci</c> when missing) run by Node against the real service.
/// </summary>
public sealed class LiveJsClientTests : IAsyncLifetime
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "tests", "live-js");

    private readonly TempDirectory _directory = new();
    private SchedulerProcess _service = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(Folder, "node_modules", ".package-lock.json")))
        {
            using var install = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = Folder })!;
            await install.WaitForExitAsync();
            Assert.Equal(0, install.ExitCode);
        }
        _service = SchedulerProcess.Start(_directory.Path);
        await _service.WaitUntilHealthy();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task NpmClient_HearsABooking_AndReplaysItFromAPosition()
    {
        using var admin = await _service.AdminClient();
        var interviewer = await LiveKit.NewInterviewer(admin);
        await using (var live = await Node.Start(_service.BaseAddress, LiveKit.Token(admin)))
        {
            Assert.Equal("ready", await live.Line());
            var booked = await LiveKit.Book(admin, interviewer);
            var message = JsonDocument.Parse(await live.LineContaining(booked)).RootElement;
            Assert.Equal("changed", message.GetProperty("type").GetString());
            Assert.Equal("scheduled", message.GetProperty("action").GetString());

            await using var resumed = await Node.Start(_service.BaseAddress, LiveKit.Token(admin), LiveKit.Position(message) - 1);
            // The replay may come before the answer to Subscribe ("ready").
            Assert.Contains(booked, await resumed.LineContaining(booked), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NpmClient_WithAnInvalidToken_IsRefused()
    {
        await using var live = await Node.Start(_service.BaseAddress, "not.a.token");

        Assert.StartsWith("refused", await live.Line(), StringComparison.Ordinal);
        Assert.Equal(3, await live.Exit());
    }

    private sealed class Node : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        private Node(Process process) => _process = process;

        public static Task<Node> Start(Uri service, string token, long? since = null)
        {
            var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardInput = true };
            start.ArgumentList.Add("listen.mjs");
            start.ArgumentList.Add(service.ToString().TrimEnd('/'));
            start.ArgumentList.Add(token);
            if (since is { } position)
            {
                start.ArgumentList.Add(LiveKit.Text(position));
            }
            var node = new Node(new Process { StartInfo = start });
            node._process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    node._lines.Writer.TryWrite(line);
                }
            };
            node._process.Start();
            node._process.BeginOutputReadLine();
            return Task.FromResult(node);
        }

        public async Task<string> Line()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await _lines.Reader.ReadAsync(timeout.Token);
        }

        public async Task<string> LineContaining(string text)
        {
            while (true)
            {
                var line = await Line();
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }

        public async Task<int> Exit()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            _process.Dispose();
        }
    }
}
