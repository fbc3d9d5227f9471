using System.Text.Json;
using Scheduler.Audit;
using Scheduler.Grains.Persistence;
using Scheduler.Live;

namespace Scheduler.Grains.Live;

/// <summary>The outbox (<c>domain_events</c>) read by position, as live changes.</summary>
internal static class LiveEvents
{
    /// <summary>The highest position committed so far (0 for none).</summary>
    public static Task<long> Head(ReadModelQueries queries) => queries.RunAsync(session =>
        session.CountAsync(session.Command("SELECT COALESCE(MAX(seq), 0) FROM domain_events")));

    /// <summary>Up to <paramref name="limit"/> changes after <paramref name="after"/> and at most <paramref name="upTo"/>, in order.</summary>
    public static Task<IReadOnlyList<LiveChange>> Between(ReadModelQueries queries, long after, long upTo, int limit) =>
        queries.RunAsync<IReadOnlyList<LiveChange>>(async session =>
        {
            var command = session.Command("""
                SELECT seq, entity_type, entity_id, entity_version, action, at, changes, data
                FROM domain_events WHERE seq > @after AND seq <= @upTo ORDER BY seq LIMIT @limit
                """);
            command.Add("@after", after);
            command.Add("@upTo", upTo);
            command.Add("@limit", limit);
            var changes = new List<LiveChange>();
            await using var reader = await session.QueryAsync(command);
            while (await reader.ReadAsync())
            {
                var type = reader.GetString(1);
                var id = reader.GetString(2);
                changes.Add(new LiveChange(reader.GetInt64(0), type, id, reader.GetInt64(3), reader.GetString(4),
                    SqlTime.FromText(reader.GetString(5)), Concerned(type, id, reader.GetString(6), reader.NullableString(7))));
            }
            return changes;
        });

    // The interviewers a change concerns: an interviewer itself; an interview's interviewer, and the one it had
    // before a reassignment (who must hear that it is gone).
    private static string[] Concerned(string type, string id, string changesJson, string? dataJson)
    {
        if (type == AuditEntityTypes.Interviewer)
        {
            return [id];
        }
        if (type != AuditEntityTypes.Event)
        {
            return [];
        }
        var ids = new List<string>(2);
        try
        {
            if (dataJson is not null)
            {
                using var data = JsonDocument.Parse(dataJson);
                if (data.RootElement.TryGetProperty("interviewerId", out var now) && now.GetString() is { } current)
                {
                    ids.Add(current);
                }
            }
            using var changes = JsonDocument.Parse(changesJson);
            if (changes.RootElement.TryGetProperty("interviewerId", out var change)
                && change.TryGetProperty("from", out var from) && from.GetString() is { } before && !ids.Contains(before))
            {
                ids.Add(before);
            }
        }
        catch (JsonException)
        {
            // An unreadable event is staff-only: better unseen by an interviewer than shown to the wrong one.
        }
        return [.. ids];
    }
}
