namespace Scheduler.Grains.Notifications;

/// <summary>
/// One round of the outbox's dispatcher: what the sinks read once for all the events it hands out rather than once per
/// event (the webhook subscriptions). Every event of a round was committed before anything of the round was read.
/// </summary>
public sealed class DispatchRound
{
    private readonly Dictionary<string, object> _read = new(StringComparer.Ordinal);

    /// <summary>What <paramref name="read"/> gives, read the first time <paramref name="key"/> is asked for in this round.</summary>
    public async Task<T> Once<T>(string key, Func<Task<T>> read) where T : class
    {
        if (_read.TryGetValue(key, out var known))
        {
            return (T)known;
        }
        var value = await read();
        _read[key] = value;
        return value;
    }
}
