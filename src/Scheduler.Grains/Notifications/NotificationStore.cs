using System.Data;
using System.Text;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Notifications;

namespace Scheduler.Grains.Notifications;

/// <summary>A message to queue (<see cref="NotificationStore.Queue"/>).</summary>
public sealed record QueuedNotification(
    string Id, string Key, string EventId, string Kind, string RecipientRole, string Recipient, long Sequence, string Status,
    DateTimeOffset DueAt, string MessageId, string DataJson, string? TraceParent, DateTimeOffset CreatedAt);

/// <summary>A message due to be sent, with what it is rendered from.</summary>
public sealed record DueNotification(
    string Id, string EventId, string Kind, string RecipientRole, string Recipient, long Sequence, int Attempts, DateTimeOffset DueAt,
    string MessageId, string DataJson, string? TraceParent);

/// <summary>The <c>notifications</c> table: rows written by the writer, reads on the query connections.</summary>
public static class NotificationStore
{
    private const string Columns = """
        id, event_id, kind, recipient_role, recipient, sequence, status, attempts, due_at, next_attempt_at, last_error, message_id, created_at, sent_at
        """;

    public static IReadModelChange Queue(QueuedNotification notification) => new QueueRow(notification);

    /// <summary>Whether <paramref name="row"/> queues a message (for the metric).</summary>
    public static bool IsQueued(IReadModelChange row) => row is QueueRow;

    /// <summary>Drops the reminders of <paramref name="eventId"/> not sent yet (a reschedule plans new ones; a cancel none).</summary>
    public static IReadModelChange DropReminders(string eventId) => new Statement(
        $"DELETE FROM notifications WHERE event_id = @eventId AND kind = '{NotificationKinds.Reminder}' AND status IN ('queued', 'failed')",
        [new("@eventId", eventId)]);

    public static IReadModelChange Sent(string id, int attempts, DateTimeOffset at) => new Statement(
        "UPDATE notifications SET status = 'sent', attempts = @attempts, sent_at = @at, last_error = NULL WHERE id = @id",
        [new("@id", id), new("@attempts", attempts), new("@at", SqlTime.ToText(at))]);

    /// <summary>A message not sent: <c>failed</c> until <paramref name="retryAt"/>, or <c>dead</c> (null), or <c>skipped</c>.</summary>
    public static IReadModelChange NotSent(string id, string status, int attempts, DateTimeOffset? retryAt, string error) => new Statement(
        "UPDATE notifications SET status = @status, attempts = @attempts, next_attempt_at = COALESCE(@retryAt, next_attempt_at), last_error = @error WHERE id = @id",
        [new("@id", id), new("@status", status), new("@attempts", attempts), new("@retryAt", retryAt is { } r ? SqlTime.ToText(r) : null), new("@error", error)]);

    public static Task<IReadOnlyList<DueNotification>> Due(ReadModelQueries queries, DateTimeOffset now, int limit) =>
        queries.RunAsync<IReadOnlyList<DueNotification>>(async session =>
        {
            var command = session.Command("""
                SELECT id, event_id, kind, recipient_role, recipient, sequence, attempts, due_at, message_id, data, trace_parent
                FROM notifications WHERE status IN ('queued', 'failed') AND next_attempt_at <= @now
                ORDER BY next_attempt_at LIMIT @limit
                """);
            command.Add("@now", SqlTime.ToText(now));
            command.Add("@limit", limit);
            var due = new List<DueNotification>();
            await using var reader = await session.QueryAsync(command);
            while (await reader.ReadAsync())
            {
                due.Add(new DueNotification(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetInt64(5), reader.GetInt32(6), SqlTime.FromText(reader.GetString(7)), reader.GetString(8), reader.GetString(9),
                    reader.NullableString(10)));
            }
            return due;
        });

    public static Task<Page<Notification>> List(ReadModelQueries queries, NotificationQuery query) => queries.RunAsync(async session =>
    {
        var where = new StringBuilder("WHERE 1 = 1");
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (query.Status is { } status)
        {
            where.Append(" AND status = @status");
            parameters["@status"] = status;
        }
        if (query.EventId is { } eventId)
        {
            where.Append(" AND event_id = @eventId");
            parameters["@eventId"] = eventId;
        }
        if (query.Recipient is { } recipient)
        {
            where.Append(" AND lower(recipient) = @recipient");
            parameters["@recipient"] = recipient.Trim().ToLowerInvariant();
        }
        var total = await session.CountAsync(session.Command($"SELECT count(*) FROM notifications {where}", parameters));
        parameters["@limit"] = query.Limit;
        parameters["@offset"] = query.Offset;
        var command = session.Command($"SELECT {Columns} FROM notifications {where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset", parameters);
        var items = new List<Notification>();
        await using var reader = await session.QueryAsync(command);
        while (await reader.ReadAsync())
        {
            items.Add(Read(reader));
        }
        return new Page<Notification>(items, total, query.Limit, query.Offset);
    });

    public static Task<Notification?> Find(ReadModelQueries queries, string id) => queries.RunAsync(async session =>
    {
        var command = session.Command($"SELECT {Columns} FROM notifications WHERE id = @id");
        command.Add("@id", id);
        await using var reader = await session.QueryAsync(command);
        return await reader.ReadAsync() ? Read(reader) : null;
    });

    /// <summary>Queues a failed or dead message again, now, with its attempts counted afresh; false when it is neither.</summary>
    public static Func<ReadModelSession, bool> Retry(string id, DateTimeOffset now) => session =>
    {
        var command = session.Command("""
            UPDATE notifications SET status = 'queued', attempts = 0, next_attempt_at = @now, last_error = NULL
            WHERE id = @id AND status IN ('failed', 'dead')
            """);
        command.Add("@id", id);
        command.Add("@now", SqlTime.ToText(now));
        return command.ExecuteNonQuery() == 1;
    };

    private static Notification Read(IDataRecord reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5),
        reader.GetString(6), reader.GetInt32(7), SqlTime.FromText(reader.GetString(8)), SqlTime.FromText(reader.GetString(9)),
        reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetString(11), SqlTime.FromText(reader.GetString(12)),
        reader.IsDBNull(13) ? null : SqlTime.FromText(reader.GetString(13)));

    private sealed record QueueRow(QueuedNotification N) : IReadModelChange
    {
        private const string Sql = """
            INSERT INTO notifications (id, key, event_id, kind, recipient_role, recipient, sequence, status, attempts, due_at, next_attempt_at,
                                       message_id, data, trace_parent, created_at)
            VALUES (@id, @key, @eventId, @kind, @role, @recipient, @sequence, @status, 0, @due, @due, @messageId, @data, @traceParent, @createdAt)
            ON CONFLICT (key) DO NOTHING
            """;

        public void Apply(ReadModelSession session)
        {
            var command = session.Command(Sql);
            command.Add("@id", N.Id);
            command.Add("@key", N.Key);
            command.Add("@eventId", N.EventId);
            command.Add("@kind", N.Kind);
            command.Add("@role", N.RecipientRole);
            command.Add("@recipient", N.Recipient);
            command.Add("@sequence", N.Sequence);
            command.Add("@status", N.Status);
            command.Add("@due", SqlTime.ToText(N.DueAt));
            command.Add("@messageId", N.MessageId);
            command.Add("@data", N.DataJson);
            command.Add("@traceParent", N.TraceParent, DbType.String);
            command.Add("@createdAt", SqlTime.ToText(N.CreatedAt));
            session.Execute(command);
        }
    }

    private sealed record Statement(string Sql, KeyValuePair<string, object?>[] Parameters) : IReadModelChange
    {
        public void Apply(ReadModelSession session)
        {
            var command = session.Command(Sql);
            foreach (var (name, value) in Parameters)
            {
                if (value is null)
                {
                    command.Add(name, null, DbType.String);
                }
                else
                {
                    command.Add(name, value);
                }
            }
            session.Execute(command);
        }
    }
}
