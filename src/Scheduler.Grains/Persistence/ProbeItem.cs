namespace Scheduler.Grains.Persistence;

/// <summary>
/// A commit of nothing of the data (<see cref="SchedulerDatabase.ProbeWriteSql"/>) through a lane whose writes
/// failed: when it succeeds, writes succeed again, and readiness says so without waiting for a client's write.
/// </summary>
internal sealed class ProbeItem() : WriteItem(default)
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal override string Table => "probe";

    internal override void Apply(ReadModelSession session) => session.Command(session.Database.ProbeWriteSql).ExecuteNonQuery();

    internal override void Complete() => Done.TrySetResult();

    internal override void Fail(Exception error) => Done.TrySetException(error);
}
