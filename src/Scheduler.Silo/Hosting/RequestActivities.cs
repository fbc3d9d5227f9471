using System.Diagnostics;

namespace Scheduler.Silo.Hosting;

/// <summary>
/// Keeps a trace and span id on every line logged in a request when no tracing is configured. ASP.NET Core creates a
/// request's activity only for a listener or for its own hosting log, and that log is off (its request scope carries
/// the path, which for a calendar feed is its credential: SchedulerApiExtensions); this listener asks for the ids and
/// records nothing. Started before the server, stopped with the host.
/// </summary>
internal sealed class RequestActivities : IHostedLifecycleService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = static source => source.Name == "Microsoft.AspNetCore",
        Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _listener.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _listener.Dispose();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
