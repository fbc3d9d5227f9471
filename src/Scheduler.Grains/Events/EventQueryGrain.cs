using Orleans.Concurrency;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Events;

[StatelessWorker]
public sealed class EventQueryGrain(ReadModelQueries queries) : Grain, IEventQueryGrain
{
    public Task<Page<InterviewEvent>> List(EventQuery query)
    {
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "interview_events");
        return Task.FromResult(EventReadModel.List(queries, query));
    }
}
