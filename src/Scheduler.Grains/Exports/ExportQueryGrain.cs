using Orleans.Concurrency;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Exports;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Events;
using Scheduler.Grains.Interviewers;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Search;
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
        var page = await EventReadModel.List(queries, Bounded(query) with { BestMatch = false, Offset = 0 }, countTotal: false);
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
        var limit = Bound(query.Limit);
        return await queries.RunAsync(async session =>
        {
            var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
            var where = AuditLogQueryGrain.Where(query, parameters);
            if (after is not null)
            {
                where.Append(Keyset.After("timestamp", "@afterKey", "id", descending: true));
                parameters["@afterKey"] = after.Key;
                parameters["@afterId"] = after.Id;
            }
            parameters["@limit"] = limit + 1;
            var command = session.Command(
                $"SELECT {AuditLogQueryGrain.Columns} FROM audit_logs {where} ORDER BY timestamp DESC, id DESC LIMIT @limit", parameters);
            var items = new List<AuditEntry>(limit + 1);
            await using (var reader = await session.QueryAsync(command))
            {
                while (await reader.ReadAsync())
                {
                    items.Add(AuditLogQueryGrain.Read(reader));
                }
            }
            if (items.Count <= limit)
            {
                return new ExportBatch<AuditEntry>(items, null);
            }
            items.RemoveAt(limit);
            var last = items[^1];
            return new ExportBatch<AuditEntry>(items, new PageCursor("-timestamp", SqlTime.ToText(last.Timestamp), last.Id));
        });
    }

    private static EventQuery Bounded(EventQuery query) => query with { Limit = Bound(query.Limit) };

    private static int Bound(int limit) => Math.Clamp(limit, 1, ExportReads.BatchSize);
}
