using Scheduler.Grains.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Tests.Persistence;

namespace Scheduler.Grains.Tests.Common;

/// <summary>Two silos' loops of one worker on PostgreSQL, where the lease is shared through the database.</summary>
public sealed class LeasedLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1.5);

    private readonly OwnDatabase _own = OwnDatabase.PostgreSql();
    private SchedulerDatabase _database = null!;
    private DatabaseWriter _writer = null!;

    public async Task InitializeAsync()
    {
        _database = await _own.Create();
        _database.EnsureSchema();
        _writer = new DatabaseWriter(_database, new WriterLog(), lanes: 1);
    }

    public async Task DisposeAsync()
    {
        _writer.Dispose();
        await _own.Delete();
    }

    [Fact]
    public async Task RoundLongerThanTheLease_KeepsIt_SoAnotherSiloRunsNoRoundMeanwhile()
    {
        var name = "test-" + Guid.NewGuid().ToString("N");
        var longRound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new LeasedLoop(_database, _writer, TimeProvider.System, name, TimeSpan.Zero, async token =>
        {
            longRound.TrySetResult();
            await Task.Delay(Lease * 3, token); // a batch of slow sends: twice the lease past its end
        }, error => throw error, Lease);
        var secondRounds = 0;
        var second = new LeasedLoop(_database, _writer, TimeProvider.System, name, TimeSpan.Zero, _ =>
        {
            Interlocked.Increment(ref secondRounds);
            return Task.CompletedTask;
        }, error => throw error, Lease);

        var running = first.RoundIfHeld(CancellationToken.None);
        await longRound.Task.WaitAsync(TimeSpan.FromSeconds(30));
        while (!running.IsCompleted)
        {
            await second.RoundIfHeld(CancellationToken.None);
            await Task.WhenAny(running, Task.Delay(50));
        }
        await running;

        Assert.Equal(0, Volatile.Read(ref secondRounds));
    }
}
