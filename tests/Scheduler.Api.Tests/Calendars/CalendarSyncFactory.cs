using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Scheduler.Api.Tests.Calendars;

/// <summary>
/// The service with calendar sync against a real CalDAV server of its own (Radicale on a free loopback port), every
/// log line captured (the HTTP client's and ours at Trace) so a test can look for a secret in them.
/// </summary>
public class CalendarSyncFactory : SchedulerApiFactory
{
    public RadicaleServer Radicale { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>Whether the guarded client may reach loopback (Radicale): true but for the SSRF tests.</summary>
    protected virtual bool AllowPrivateNetworks => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Outbound:AllowPrivateNetworks", AllowPrivateNetworks ? "true" : "false");
        // Tests sync on demand; the background interval is long so it does not race them (CalendarSyncClusterTests covers it).
        builder.UseSetting("CalendarSync:IntervalMinutes", "600");
        builder.UseSetting("CalendarSync:PollSeconds", "0.2");
        builder.UseSetting("CalendarSync:WindowDays", "300");
        builder.UseSetting("Logging:LogLevel:Scheduler", "Trace");
        builder.UseSetting("Logging:LogLevel:System.Net.Http", "Trace");
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    protected override async Task DeleteStorageAsync()
    {
        Radicale.Dispose();
        await base.DeleteStorageAsync();
    }
}

/// <summary>Every log line written, formatted with its exception and its scopes (as a console with scopes shows them).</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, CapturedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logs._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new System.Text.StringBuilder($"{category}: {formatter(state, exception)} {exception}");
            logs._scopes?.ForEachScope(static (scope, text) => text.Append(" => ").Append(scope), line);
            logs._lines.Enqueue(line.ToString());
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CalendarSyncCollection : ICollectionFixture<CalendarSyncFactory>
{
    public const string Name = "calendar-sync";
}
