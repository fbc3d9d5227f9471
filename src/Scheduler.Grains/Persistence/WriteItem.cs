using System.Diagnostics;

namespace Scheduler.Grains.Persistence;

/// <summary>One unit of work for the <see cref="DatabaseWriter"/>: applied inside its transaction, completed after the commit.</summary>
public abstract class WriteItem
{
    private protected WriteItem(ActivityContext parent) => Parent = parent;

    internal ActivityContext Parent { get; }

    /// <summary>The table the span names.</summary>
    internal abstract string Table { get; }

    internal abstract void Apply(ReadModelSession session);

    internal abstract void Complete();

    internal abstract void Fail(Exception error);
}
