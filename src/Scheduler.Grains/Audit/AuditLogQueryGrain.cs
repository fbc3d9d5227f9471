using System.Text;
using System.Data.Common;
using Orleans.Concurrency;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Audit;

[StatelessWorker]
public sealed class AuditLogQueryGrain(SchedulerDatabase database) : Grain, IAuditLogQueryGrain
{
    public Task<Page<AuditEntry>> Search(AuditQuery query)
    {
        using var activity = SchedulerTelemetry.StartSql("select", "audit_logs");
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var where = new StringBuilder("WHERE 1 = 1");
        Filter(command, where, "entity_type", "@type", query.EntityType);
        Filter(command, where, "entity_id", "@entityId", query.EntityId);
        Filter(command, where, "actor", "@actor", query.Actor);
        Filter(command, where, "action", "@action", query.Action);
        if (query.From is { } from)
        {
            where.Append(" AND timestamp >= @from");
            command.Add("@from", SqlTime.ToText(from));
        }
        if (query.To is { } to)
        {
            where.Append(" AND timestamp <= @to");
            command.Add("@to", SqlTime.ToText(to));
        }

        command.CommandText = $"SELECT count(*) FROM audit_logs {where}";
        var total = command.ScalarLong();

        command.CommandText = $"""
            SELECT id, entity_type, entity_id, entity_version, action, actor_id, actor, timestamp, changes
            FROM audit_logs {where}
            ORDER BY timestamp DESC, id DESC
            LIMIT @limit OFFSET @offset
            """;
        command.Add("@limit", query.Limit);
        command.Add("@offset", query.Offset);
        var items = new List<AuditEntry>(query.Limit);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add(new AuditEntry(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), SqlTime.FromText(reader.GetString(7)), reader.GetString(8)));
            }
        }
        return Task.FromResult(new Page<AuditEntry>(items, total, query.Limit, query.Offset));
    }

    private static void Filter(DbCommand command, StringBuilder where, string column, string parameter, string? value)
    {
        if (value is null)
        {
            return;
        }
        where.Append(" AND ").Append(column).Append(" = ").Append(parameter);
        command.Add(parameter, value);
    }
}
