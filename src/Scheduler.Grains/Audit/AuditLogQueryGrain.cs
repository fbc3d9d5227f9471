using System.Data.Common;
using System.Text;
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
        return await queries.RunAsync(session => Search(session, query));
    }

    private static async Task<Page<AuditEntry>> Search(ReadModelSession session, AuditQuery query)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var where = Where(query, parameters);

        var total = await session.CountAsync(session.Command($"SELECT count(*) FROM audit_logs {where}", parameters));

        parameters["@limit"] = query.Limit;
        parameters["@offset"] = query.Offset;
        var command = session.Command($"""
            SELECT {Columns}
            FROM audit_logs {where}
            ORDER BY timestamp DESC, id DESC
            LIMIT @limit OFFSET @offset
            """, parameters);
        var items = new List<AuditEntry>(query.Limit);
        await using (var reader = await session.QueryAsync(command))
        {
            while (await reader.ReadAsync())
            {
                items.Add(Read(reader));
            }
        }
        return new Page<AuditEntry>(items, total, query.Limit, query.Offset);
    }

    internal const string Columns = "id, entity_type, entity_id, entity_version, action, actor_id, actor, timestamp, changes";

    /// <summary>The WHERE clause of <paramref name="query"/>'s filters, with their parameters added.</summary>
    internal static StringBuilder Where(AuditQuery query, Dictionary<string, object?> parameters)
    {
        var where = new StringBuilder("WHERE 1 = 1");
        Filter(parameters, where, "entity_type", "@type", query.EntityType);
        Filter(parameters, where, "entity_id", "@entityId", query.EntityId);
        Filter(parameters, where, "actor", "@actor", query.Actor);
        Filter(parameters, where, "action", "@action", query.Action);
        if (query.From is { } from)
        {
            where.Append(" AND timestamp >= @from");
            parameters["@from"] = SqlTime.ToText(from);
        }
        if (query.To is { } to)
        {
            where.Append(" AND timestamp <= @to");
            parameters["@to"] = SqlTime.ToText(to);
        }
        return where;
    }

    /// <summary>The entry in the current row of a query that selected <see cref="Columns"/>.</summary>
    internal static AuditEntry Read(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
        reader.GetString(5), reader.GetString(6), SqlTime.FromText(reader.GetString(7)), reader.GetString(8));

    private static void Filter(Dictionary<string, object?> parameters, StringBuilder where, string column, string parameter, string? value)
    {
        if (value is null)
        {
            return;
        }
        where.Append(" AND ").Append(column).Append(" = ").Append(parameter);
        parameters[parameter] = value;
    }
}
