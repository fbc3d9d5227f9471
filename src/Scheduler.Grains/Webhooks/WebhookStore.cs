using System.Data;
using System.Data.Common;
using System.Text.Json;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Webhooks;

namespace Scheduler.Grains.Webhooks;

/// <summary>A subscription as the sender needs it: where, and the secrets that sign, as stored (<see cref="WebhookSecrets"/>).</summary>
public sealed record WebhookTarget(string Url, string Secret, string? PreviousSecret, DateTimeOffset? PreviousSecretUntil, DateTimeOffset? FailingSince);

/// <summary>The <c>webhooks</c> table: changes run in a transaction of the writer, reads on the query connections.</summary>
public static class WebhookStore
{
    private const string Columns = "id, url, event_types, description, enabled, failing_since, disabled_at, version, created_at, updated_at";

    public static void Insert(ReadModelSession session, Webhook webhook, string secret)
    {
        var command = session.Command($"""
            INSERT INTO webhooks ({Columns}, secret) VALUES (@id, @url, @types, @description, 1, NULL, NULL, @version, @at, @at, @secret)
            """);
        command.Add("@id", webhook.Id);
        command.Add("@url", webhook.Url);
        command.Add("@types", JsonSerializer.Serialize(webhook.EventTypes, WebhookJson.Default.IReadOnlyListString));
        command.Add("@description", webhook.Description, DbType.String);
        command.Add("@version", webhook.Version);
        command.Add("@at", SqlTime.ToText(webhook.CreatedAt));
        command.Add("@secret", secret);
        command.ExecuteNonQuery();
    }

    /// <summary>Deletes the subscription (at <paramref name="version"/>, when given), its deliveries and their attempts; false when none was deleted.</summary>
    public static bool Delete(ReadModelSession session, string id, long? version)
    {
        var deleted = version is { } v
            ? Run(session, "DELETE FROM webhooks WHERE id = @id AND version = @version", ("@id", id), ("@version", v))
            : Run(session, "DELETE FROM webhooks WHERE id = @id", ("@id", id));
        if (deleted == 0)
        {
            return false;
        }
        Run(session, "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = @id)", ("@id", id));
        Run(session, "DELETE FROM webhook_deliveries WHERE webhook_id = @id", ("@id", id));
        return true;
    }

    /// <summary>A new secret; the old one keeps signing until <paramref name="previousUntil"/>. The new version, or null.</summary>
    public static long? Rotate(ReadModelSession session, string id, string secret, DateTimeOffset now, DateTimeOffset previousUntil) => Versioned(session, """
        UPDATE webhooks SET previous_secret = secret, previous_secret_until = @until, secret = @secret, version = version + 1, updated_at = @now
        WHERE id = @id RETURNING version
        """, ("@id", id), ("@secret", secret), ("@until", SqlTime.ToText(previousUntil)), ("@now", SqlTime.ToText(now)));

    /// <summary>Enables it, its failures forgotten; the new version, or null when there is none or it was enabled.</summary>
    public static long? Enable(ReadModelSession session, string id, DateTimeOffset now) => Versioned(session, """
        UPDATE webhooks SET enabled = 1, failing_since = NULL, disabled_at = NULL, version = version + 1, updated_at = @now
        WHERE id = @id AND enabled = 0 RETURNING version
        """, ("@id", id), ("@now", SqlTime.ToText(now)));

    /// <summary>Disables it (failing too long); the new version, or null when it was not enabled.</summary>
    public static long? Disable(ReadModelSession session, string id, DateTimeOffset now) => Versioned(session, """
        UPDATE webhooks SET enabled = 0, disabled_at = @now, version = version + 1, updated_at = @now
        WHERE id = @id AND enabled = 1 RETURNING version
        """, ("@id", id), ("@now", SqlTime.ToText(now)));

    public static void Succeeded(ReadModelSession session, string id) =>
        Run(session, "UPDATE webhooks SET failing_since = NULL WHERE id = @id AND failing_since IS NOT NULL", ("@id", id));

    public static void Failed(ReadModelSession session, string id, DateTimeOffset now) =>
        Run(session, "UPDATE webhooks SET failing_since = @now WHERE id = @id AND failing_since IS NULL", ("@id", id), ("@now", SqlTime.ToText(now)));

    public static Task<Page<Webhook>> List(ReadModelQueries queries, int limit, int offset) => queries.RunAsync(async session =>
    {
        var total = await session.CountAsync(session.Command("SELECT count(*) FROM webhooks"));
        var command = session.Command($"SELECT {Columns} FROM webhooks ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset");
        command.Add("@limit", limit);
        command.Add("@offset", offset);
        var items = new List<Webhook>();
        await using var reader = await session.QueryAsync(command);
        while (await reader.ReadAsync())
        {
            items.Add(Read(reader));
        }
        return new Page<Webhook>(items, total, limit, offset);
    });

    public static Task<Webhook?> Find(ReadModelQueries queries, string id) => queries.RunAsync(async session =>
    {
        var command = session.Command($"SELECT {Columns} FROM webhooks WHERE id = @id");
        command.Add("@id", id);
        await using var reader = await session.QueryAsync(command);
        return await reader.ReadAsync() ? Read(reader) : null;
    });

    /// <summary>The enabled subscriptions, each with the event types it receives (none: every type).</summary>
    public static Task<IReadOnlyList<(string Id, IReadOnlyList<string> Types)>> Subscriptions(ReadModelQueries queries) =>
        queries.RunAsync<IReadOnlyList<(string Id, IReadOnlyList<string> Types)>>(async session =>
        {
            var subscriptions = new List<(string Id, IReadOnlyList<string> Types)>();
            await using var reader = await session.QueryAsync(session.Command("SELECT id, event_types FROM webhooks WHERE enabled = 1"));
            while (await reader.ReadAsync())
            {
                subscriptions.Add((reader.GetString(0), Types(reader.GetString(1))));
            }
            return subscriptions;
        });

    private static Webhook Read(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), Types(reader.GetString(2)), reader.NullableString(3), reader.GetInt32(4) == 1,
        Time(reader, 5), Time(reader, 6), reader.GetInt64(7), SqlTime.FromText(reader.GetString(8)), SqlTime.FromText(reader.GetString(9)));

    internal static DateTimeOffset? Time(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : SqlTime.FromText(reader.GetString(ordinal));

    private static IReadOnlyList<string> Types(string json) => JsonSerializer.Deserialize(json, WebhookJson.Default.IReadOnlyListString) ?? [];

    private static long? Versioned(ReadModelSession session, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Bind(session, sql, parameters);
        return command.ExecuteScalar() is { } version and not DBNull ? Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    internal static int Run(ReadModelSession session, string sql, params (string Name, object? Value)[] parameters) =>
        Bind(session, sql, parameters).ExecuteNonQuery();

    internal static DbCommand Bind(ReadModelSession session, string sql, (string Name, object? Value)[] parameters)
    {
        var command = session.Command(sql);
        foreach (var (name, value) in parameters)
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
        return command;
    }
}
