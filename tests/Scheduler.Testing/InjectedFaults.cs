using System.Collections.Concurrent;

namespace Scheduler.Testing;

/// <summary>
/// Faults a test plants on one grain's method: a call to it fails with the planted exception in the silo that hosts
/// the grain, before the grain runs it (the test hosts' silos run <see cref="Filter"/>). Keyed by grain, so
/// tests that plant on grains of their own do not meet each other's faults.
/// </summary>
public static class InjectedFaults
{
    private static readonly ConcurrentDictionary<(GrainId Grain, string Method), Exception> Planted = new();

    /// <summary>Plants <paramref name="error"/> on <paramref name="method"/> of <paramref name="grain"/> until disposed.</summary>
    public static IDisposable Plant(IAddressable grain, string method, Exception error)
    {
        var key = (grain.GetGrainId(), method);
        Planted[key] = error;
        return new Removal(key);
    }

    public sealed class Filter : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context) =>
            !Planted.IsEmpty && context.InterfaceMethod is { } method && Planted.TryGetValue((context.TargetId, method.Name), out var error)
                ? Task.FromException(error)
                : context.Invoke();
    }

    private sealed class Removal((GrainId, string) key) : IDisposable
    {
        public void Dispose() => Planted.TryRemove(key, out _);
    }
}
