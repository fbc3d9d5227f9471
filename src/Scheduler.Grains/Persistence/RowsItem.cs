using System.Diagnostics;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// Rows that belong to no grain state (a worker's bookkeeping: domain events dispatched, notifications queued or
/// sent, a lease), written in the <see cref="DatabaseWriter"/>'s transaction under a savepoint of their own.
/// The work may read what it needs first (a statement it runs itself runs at once); statements it hands to
/// <see cref="ReadModelSession.Execute"/> may be sent together at the end.
/// </summary>
internal sealed class RowsItem<T>(Func<ReadModelSession, T> work, ActivityContext parent, bool throughSession = false) : WriteItem(parent)
{
    private T? _result;

    public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal override string Table => "rows";

    /// <summary>Set for rows applied by <see cref="DatabaseWriter.Apply"/>: read-model changes, whose statements go through the session.</summary>
    internal override bool StatementsThroughSession => throughSession;

    internal override void Apply(ReadModelSession session) => _result = work(session);

    internal override void Complete() => Done.TrySetResult(_result!);

    internal override void Fail(Exception error) => Done.TrySetException(error);
}
