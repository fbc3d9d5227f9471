namespace Scheduler.Grains.Common;

/// <summary>
/// The background workers' loop: a round every <c>poll</c> until stopped. A failed round (the database or a remote
/// server unavailable) is reported and the next round retries; stopping ends the loop between or during rounds.
/// </summary>
public static class PollingLoop
{
    public static async Task Run(TimeSpan poll, Func<CancellationToken, Task> round, Action<Exception> roundFailed, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await round(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                roundFailed(error);
            }
            try
            {
                await Task.Delay(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
