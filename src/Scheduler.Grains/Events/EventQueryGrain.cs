using Orleans.Concurrency;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Events;

[StatelessWorker]
public sealed class EventQueryGrain(SchedulerDatabase database) : Grain, IEventQueryGrain
{
    public Task<Page<InterviewEvent>> List(EventQuery query)
    {
        using var connection = database.Open();
        return Task.FromResult(EventReadModel.List(connection, query));
    }
}
