namespace Scheduler.Silo.Hosting;

/// <summary>
/// On SIGTERM, readiness turns 503 at once (the application is stopping), but the process keeps serving for
/// <c>Shutdown:DrainSeconds</c> (0 by default) before Kestrel stops taking requests and the silo leaves the
/// cluster: long enough for a load balancer polling <c>/health/ready</c> to stop sending requests here, so none
/// that it sent meets a closed port.
/// </summary>
internal sealed class ShutdownDrain(IConfiguration configuration, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    private readonly TimeSpan _drain = TimeSpan.FromSeconds(configuration.GetValue("Shutdown:DrainSeconds", 0.0));

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_drain > TimeSpan.Zero)
        {
            logger.LogInformation("Stopping: not ready any more, serving for another {Drain} while load balancers notice", _drain);
            await Task.Delay(_drain, cancellationToken);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
