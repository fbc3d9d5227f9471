using Orleans.Concurrency;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Interviewers;

[StatelessWorker]
public sealed class InterviewerQueryGrain(ReadModelQueries queries) : Grain, IInterviewerQueryGrain
{
    public async Task<Page<Interviewer>> List(InterviewerQuery query)
    {
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "interviewers");
        return await InterviewerReadModel.List(queries, query);
    }
}
