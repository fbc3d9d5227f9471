using Orleans.Concurrency;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Audit;

[StatelessWorker]
public sealed class AuditLogQueryGrain(ReadModelQueries queries) : Grain, IAuditLogQueryGrain
{
    public async Task<Page<AuditEntry>> Search(AuditQuery query)
    {
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "audit_logs");
        return await AuditReadModel.List(queries, query);
    }
}
