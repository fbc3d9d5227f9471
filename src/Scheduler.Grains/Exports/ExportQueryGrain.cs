using Orleans.Concurrency;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Exports;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Events;
using Scheduler.Grains.Interviewers;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Exports;

/// <summary>The batches of exports: the lists' own queries, without their count, one bounded batch per call.</summary>
[StatelessWorker]
public sealed class ExportQueryGrain(ReadModelQueries queries) : Grain, IExportQueryGrain
{
    public async Task<ExportBatch<InterviewEvent>> Interviews(EventQuery query)
    {
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "interview_events");
        var page = await EventReadModel.List(queries, query with { Limit = Bound(query.Limit), BestMatch = false, Offset = 0 }, countTotal: false);
        return new ExportBatch<InterviewEvent>(page.Items, page.Next);
    }

    public async Task<ExportBatch<Interviewer>> Interviewers(InterviewerQuery query)
    {
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "interviewers");
        var page = await InterviewerReadModel.List(queries, query with { Limit = Bound(query.Limit), BestMatch = false, Offset = 0 }, countTotal: false);
        return new ExportBatch<Interviewer>(page.Items, page.Next);
    }

    public async Task<ExportBatch<AuditEntry>> AuditLogs(AuditQuery query, PageCursor? after)
    {
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "audit_logs");
        var (items, next) = await AuditReadModel.After(queries, query with { Limit = Bound(query.Limit) }, after);
        return new ExportBatch<AuditEntry>(items, next);
    }

    // A grain's caller may ask for any limit; a batch stays bounded.
    private static int Bound(int limit) => Math.Clamp(limit, 1, ExportReads.BatchSize);
}
