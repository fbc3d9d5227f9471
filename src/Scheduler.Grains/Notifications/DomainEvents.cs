using System.Diagnostics;
using Scheduler.Audit;
using Scheduler.Grains.Persistence;
using Scheduler.Notifications;

namespace Scheduler.Grains.Notifications;

/// <summary>The outbox table, <c>domain_events</c>: written with each change, read and marked by the dispatcher.</summary>
public static class DomainEvents
{
    /// <summary>The domain event of <paramref name="entry"/>, with the entity as it stood after it; idempotent.</summary>
    public static IReadModelChange Row(AuditEntry entry, string? dataJson) => new EventRow(entry, dataJson, Activity.Current?.Id);

    /// <summary>The oldest undispatched events, in order.</summary>
    public static Task<IReadOnlyList<DomainEvent>> Pending(ReadModelQueries queries, int limit) => queries.RunAsync<IReadOnlyList<DomainEvent>>(async session =>
    {
        var command = session.Command("""
            SELECT seq, entity_type, entity_id, entity_version, action, at, changes, data, trace_parent
            FROM domain_events WHERE dispatched = 0 ORDER BY seq LIMIT @limit
            """);
        command.Add("@limit", limit);
        var events = new List<DomainEvent>();
        await using var reader = await session.QueryAsync(command);
        while (await reader.ReadAsync())
        {
            events.Add(new DomainEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                SqlTime.FromText(reader.GetString(5)), reader.GetString(6), reader.NullableString(7), reader.NullableString(8)));
        }
        return events;
    });

    /// <summary>Marks the events <paramref name="seqs"/> dispatched (in the transaction of the rows their sinks wrote for them).</summary>
    public static IReadModelChange Dispatched(IReadOnlyList<long> seqs) => new DispatchedRows(seqs);

    private sealed record EventRow(AuditEntry Entry, string? DataJson, string? TraceParent) : IReadModelChange
    {
        private const string Sql = """
            INSERT INTO domain_events (entity_type, entity_id, entity_version, action, at, changes, data, trace_parent)
            VALUES (@type, @entityId, @version, @action, @at, @changes, @data, @traceParent)
            ON CONFLICT DO NOTHING
            """;

        public void Apply(ReadModelSession session)
        {
            var command = session.Command(Sql);
            command.Add("@type", Entry.EntityType);
            command.Add("@entityId", Entry.EntityId);
            command.Add("@version", Entry.EntityVersion);
            command.Add("@action", Entry.Action);
            command.Add("@at", SqlTime.ToText(Entry.Timestamp));
            command.Add("@changes", Entry.ChangesJson);
            command.Add("@data", DataJson, System.Data.DbType.String);
            command.Add("@traceParent", TraceParent, System.Data.DbType.String);
            session.Execute(command);
        }
    }

    private sealed record DispatchedRows(IReadOnlyList<long> Seqs) : IReadModelChange
    {
        public void Apply(ReadModelSession session)
        {
            // One statement for the round (its events' sequence numbers as one list), not one per event.
            var command = session.Command($"UPDATE domain_events SET dispatched = 1 WHERE seq IN {session.Database.ValuesOf("@seqs")}");
            command.Add("@seqs", session.Database.ListValue(Seqs));
            session.Execute(command);
        }
    }
}
