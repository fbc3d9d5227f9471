using System.Collections.Concurrent;
using System.Reflection;

namespace Scheduler.Common;

/// <summary>
/// What a grain interface method promises about calling it again: whether it only reads (<see cref="ReadOnlyAttribute"/>),
/// and whether it may be sent again after an unknown outcome (<see cref="RepeatableAttribute"/>). Read from the
/// attributes once per method, for the call filters that decide on retries and on what a failure leaves in doubt.
/// </summary>
public readonly record struct GrainMethodKind(bool ReadOnly, bool Repeatable)
{
    private static readonly ConcurrentDictionary<MethodInfo, GrainMethodKind> Methods = new();

    /// <summary>The kind of <paramref name="method"/>; none (a change, not repeatable) when it is not known.</summary>
    public static GrainMethodKind Of(MethodInfo? method) => method is null ? default : Methods.GetOrAdd(method,
        static m => new(m.GetCustomAttribute<ReadOnlyAttribute>() is not null, m.GetCustomAttribute<RepeatableAttribute>() is not null));
}
