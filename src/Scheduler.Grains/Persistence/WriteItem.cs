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
    /// <see cref="ReadModelSession.Scalar"/>), so that the item's savepoint can travel with its first statements.
    /// </summary>
    internal virtual bool StatementsThroughSession => false;

    /// <summary>
    /// After <see cref="Apply"/> and the round trip that sent it: whether what was sent stands. False: the item sent
    /// its statements on a guess that proved wrong; they are rolled back and <see cref="Apply"/> runs again, without
    /// guessing.
    /// </summary>
    internal virtual bool Settled() => true;

    internal abstract void Complete();

    internal abstract void Fail(Exception error);
}
