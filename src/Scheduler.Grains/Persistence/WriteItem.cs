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

    /// <summary>
    /// Whether <see cref="Apply"/> runs its statements through the session only (<see cref="ReadModelSession.Execute"/>,
    /// <see cref="ReadModelSession.Scalar"/>), so that the item's savepoint can wait for its first statement's round trip.
    /// </summary>
    internal virtual bool StatementsThroughSession => false;

    internal abstract void Complete();

    internal abstract void Fail(Exception error);
}
