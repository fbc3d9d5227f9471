using System.Data;
using System.Data.Common;
using System.Text;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Webhooks;

namespace Scheduler.Grains.Webhooks;

/// <summary>A delivery to queue: its id is the <c>webhook-id</c> of every attempt.</summary>
public sealed record QueuedDelivery(
    string Id, string WebhookId, long? EventSeq, string EventType, string? EntityId, long? EntityVersion, string Payload, string? TraceParent,
    DateTimeOffset At);

/// <summary>A delivery due now, with where it goes.</summary>
public sealed record DueDelivery(
    string Id, string WebhookId, string EventType, string Payload, int Attempts, DateTimeOffset RetryingSince, DateTimeOffset CreatedAt,
    string? TraceParent, WebhookTarget Target);

/// <summary>What one attempt came to (<see cref="WebhookDeliveries.Record"/>).</summary>
public sealed record AttemptOutcome(DueDelivery Delivery, DateTimeOffset At, int? StatusCode, string? Error, int DurationMs)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>The <c>webhook_deliveries</c> and <c>webhook_attempts</c> tables.</summary>
public static class WebhookDeliveries
{
    private const string Columns = """
        id, webhook_id, event_type, entity_id, entity_version, status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_error,
        created_at, delivered_at
        """;

    public static IReadModelChange Queue(QueuedDelivery delivery) => new QueueRow(delivery);

    public static bool IsQueued(IReadModelChange row) => row is QueueRow;

    public static Task<IReadOnlyList<DueDelivery>> Due(ReadModelQueries queries, DateTimeOffset now, int limit) =>
        queries.RunAsync<IReadOnlyList<DueDelivery>>(async session =>
        {
            // A disabled subscription's deliveries wait (they were given up on when it was disabled; a redelivery needs it enabled).
            var command = session.Command("""
                SELECT d.id, d.webhook_id, d.event_type, d.payload, d.attempts, d.retrying_since, d.created_at, d.trace_parent,
                       w.url, w.secret, w.previous_secret, w.previous_secret_until, w.failing_since
                FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= @now AND w.enabled = 1
                ORDER BY d.next_attempt_at LIMIT @limit
                """);
            command.Add("@now", SqlTime.ToText(now));
            command.Add("@limit", limit);
            var due = new List<DueDelivery>();
            await using var reader = await session.QueryAsync(command);
            while (await reader.ReadAsync())
            {
                due.Add(new DueDelivery(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                    SqlTime.FromText(reader.GetString(5)), SqlTime.FromText(reader.GetString(6)), reader.NullableString(7),
                    new WebhookTarget(reader.GetString(8), reader.GetString(9), reader.NullableString(10), WebhookStore.Time(reader, 11),
                        WebhookStore.Time(reader, 12))));
            }
            return due;
        });

    /// <summary>Records an attempt: delivered, failed until <paramref name="retryAt"/>, or dead (null).</summary>
    public static void Record(ReadModelSession session, AttemptOutcome outcome, DateTimeOffset? retryAt)
    {
        var attempt = outcome.Delivery.Attempts + 1;
        WebhookStore.Bind(session, """
            INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
            VALUES (@id, @attempt, @at, @code, @error, @duration) ON CONFLICT DO NOTHING
            """, [("@id", outcome.Delivery.Id), ("@attempt", attempt), ("@at", SqlTime.ToText(outcome.At)), ("@error", outcome.Error),
            ("@duration", outcome.DurationMs)]).Add("@code", outcome.StatusCode, DbType.Int32).ExecuteNonQuery();
        var status = outcome.Succeeded ? WebhookDeliveryStatuses.Delivered : retryAt is null ? WebhookDeliveryStatuses.Dead : WebhookDeliveryStatuses.Failed;
        WebhookStore.Bind(session, """
            UPDATE webhook_deliveries SET status = @status, attempts = @attempt, last_attempt_at = @at, last_status_code = @code, last_error = @error,
                next_attempt_at = COALESCE(@retryAt, next_attempt_at), delivered_at = COALESCE(@deliveredAt, delivered_at)
            WHERE id = @id
            """, [("@id", outcome.Delivery.Id), ("@status", status), ("@attempt", attempt), ("@at", SqlTime.ToText(outcome.At)),
            ("@error", outcome.Error), ("@retryAt", retryAt is { } r ? SqlTime.ToText(r) : null),
            ("@deliveredAt", outcome.Succeeded ? SqlTime.ToText(outcome.At) : null)]).Add("@code", outcome.StatusCode, DbType.Int32).ExecuteNonQuery();
    }

    /// <summary>Gives up the deliveries still waiting for <paramref name="webhookId"/> (it was disabled).</summary>
    public static int GiveUp(ReadModelSession session, string webhookId, string reason) => WebhookStore.Run(session,
        "UPDATE webhook_deliveries SET status = 'dead', last_error = @reason WHERE webhook_id = @id AND status IN ('pending', 'failed')",
        ("@id", webhookId), ("@reason", reason));

    /// <summary>Queues a delivery again, now, with its retry period afresh; false when there is none.</summary>
    public static bool Redeliver(ReadModelSession session, string webhookId, string id, DateTimeOffset now) => WebhookStore.Run(session, """
        UPDATE webhook_deliveries SET status = 'pending', retrying_since = @now, next_attempt_at = @now WHERE id = @id AND webhook_id = @webhookId
        """, ("@id", id), ("@webhookId", webhookId), ("@now", SqlTime.ToText(now))) == 1;

    public static Task<Page<WebhookDelivery>> List(ReadModelQueries queries, string webhookId, string? status, int limit, int offset) =>
        queries.RunAsync(async session =>
        {
            var where = new StringBuilder("WHERE webhook_id = @webhookId");
            var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["@webhookId"] = webhookId };
            if (status is not null)
            {
                where.Append(" AND status = @status");
                parameters["@status"] = status;
            }
            var total = await session.CountAsync(session.Command($"SELECT count(*) FROM webhook_deliveries {where}", parameters));
            parameters["@limit"] = limit;
            parameters["@offset"] = offset;
            var command = session.Command($"SELECT {Columns} FROM webhook_deliveries {where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset",
                parameters);
            var items = new List<WebhookDelivery>();
            await using var reader = await session.QueryAsync(command);
            while (await reader.ReadAsync())
            {
                items.Add(Read(reader, []));
            }
            return new Page<WebhookDelivery>(items, total, limit, offset);
        });

    /// <summary>One delivery with all its attempts, or null.</summary>
    public static Task<WebhookDelivery?> Find(ReadModelQueries queries, string webhookId, string id) => queries.RunAsync(async session =>
    {
        // The row first, then its attempts: an attempt commits with the row's update, so the log is never behind the row.
        var command = session.Command($"SELECT {Columns} FROM webhook_deliveries WHERE id = @id AND webhook_id = @webhookId");
        command.Add("@id", id);
        command.Add("@webhookId", webhookId);
        WebhookDelivery delivery;
        await using (var row = await session.QueryAsync(command))
        {
            if (!await row.ReadAsync())
            {
                return null;
            }
            delivery = Read(row, []);
        }
        var attempts = new List<WebhookAttempt>();
        var log = session.Command("SELECT attempt, at, status_code, error, duration_ms FROM webhook_attempts WHERE delivery_id = @id ORDER BY attempt");
        log.Add("@id", id);
        await using var reader = await session.QueryAsync(log);
        while (await reader.ReadAsync())
        {
            attempts.Add(new WebhookAttempt(reader.GetInt32(0), SqlTime.FromText(reader.GetString(1)), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.NullableString(3), reader.GetInt32(4)));
        }
        return delivery with { Attempts = attempts };
    });

    private static WebhookDelivery Read(DbDataReader reader, IReadOnlyList<WebhookAttempt> attempts) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.NullableString(3), reader.IsDBNull(4) ? null : reader.GetInt64(4),
        reader.GetString(5), reader.GetInt32(6), SqlTime.FromText(reader.GetString(7)), WebhookStore.Time(reader, 8),
        reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.NullableString(10), SqlTime.FromText(reader.GetString(11)), WebhookStore.Time(reader, 12),
        attempts);

    private sealed record QueueRow(QueuedDelivery D) : IReadModelChange
    {
        private const string Sql = """
            INSERT INTO webhook_deliveries (id, webhook_id, event_seq, event_type, entity_id, entity_version, payload, status, attempts,
                                            retrying_since, next_attempt_at, trace_parent, created_at)
            VALUES (@id, @webhookId, @seq, @type, @entityId, @version, @payload, 'pending', 0, @at, @at, @traceParent, @at)
            ON CONFLICT DO NOTHING
            """;

        public void Apply(ReadModelSession session)
        {
            var command = session.Command(Sql);
            command.Add("@id", D.Id);
            command.Add("@webhookId", D.WebhookId);
            command.Add("@seq", D.EventSeq, DbType.Int64);
            command.Add("@type", D.EventType);
            command.Add("@entityId", D.EntityId, DbType.String);
            command.Add("@version", D.EntityVersion, DbType.Int64);
            command.Add("@payload", D.Payload);
            command.Add("@traceParent", D.TraceParent, DbType.String);
            command.Add("@at", SqlTime.ToText(D.At));
            session.Execute(command);
        }
    }
}
