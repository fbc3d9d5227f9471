using Orleans.Concurrency;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Events;

[StatelessWorker]
public sealed class EventQueryGrain(ReadModelQueries queries) : Grain, IEventQueryGrain
{
    public async Task<Page<InterviewEvent>> List(EventQuery query)
    {
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "interview_events");
        return await EventReadModel.List(queries, query);
    }
}
