using System.Text;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Search;

namespace Scheduler.Grains.Audit;

/// <summary>The audit trail's reads, newest first: a counted page for the list, keyset batches for its export.</summary>
public static class AuditReadModel
{
    private const string Columns = "id, entity_type, entity_id, entity_version, action, actor_id, actor, timestamp, changes";

    public static Task<Page<AuditEntry>> List(ReadModelQueries queries, AuditQuery query) => queries.RunAsync(async session =>
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var where = Where(query, parameters);
        var total = await session.CountAsync(session.Command($"SELECT count(*) FROM audit_logs {where}", parameters));
        parameters["@limit"] = query.Limit;
        parameters["@offset"] = query.Offset;
        var items = await Rows(session, where, "LIMIT @limit OFFSET @offset", parameters, query.Limit);
        return new Page<AuditEntry>(items, total, query.Limit, query.Offset);
    });

    /// <summary>At most the query's limit of entries after <paramref name="after"/>, uncounted, and where the next batch starts.</summary>
    public static Task<(IReadOnlyList<AuditEntry> Items, PageCursor? Next)> After(ReadModelQueries queries, AuditQuery query, PageCursor? after) =>
        queries.RunAsync(async session =>
        {
            var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
            var where = Where(query, parameters);
            if (after is not null)
            {
                where.Append(Keyset.After("timestamp", "@afterKey", "id", descending: true));
                parameters["@afterKey"] = after.Key;
                parameters["@afterId"] = after.Id;
            }
            parameters["@limit"] = query.Limit + 1;
            var items = await Rows(session, where, "LIMIT @limit", parameters, query.Limit + 1);
            if (items.Count <= query.Limit)
            {
                return ((IReadOnlyList<AuditEntry>)items, (PageCursor?)null);
            }
            items.RemoveAt(query.Limit);
            var last = items[^1];
            return (items, new PageCursor("-timestamp", SqlTime.ToText(last.Timestamp), last.Id));
        });

    private static async Task<List<AuditEntry>> Rows(
        ReadModelSession session, StringBuilder where, string paging, Dictionary<string, object?> parameters, int capacity)
    {
        var command = session.Command($"SELECT {Columns} FROM audit_logs {where} ORDER BY timestamp DESC, id DESC {paging}", parameters);
        var items = new List<AuditEntry>(capacity);
        await using var reader = await session.QueryAsync(command);
        while (await reader.ReadAsync())
        {
            items.Add(new AuditEntry(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), SqlTime.FromText(reader.GetString(7)), reader.GetString(8)));
        }
        return items;
    }

    private static StringBuilder Where(AuditQuery query, Dictionary<string, object?> parameters)
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
