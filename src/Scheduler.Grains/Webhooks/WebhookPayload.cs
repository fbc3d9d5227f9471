using System.Text;
using System.Text.Json;
using Scheduler.Audit;
using Scheduler.Notifications;

namespace Scheduler.Grains.Webhooks;

/// <summary>
/// The JSON body of a delivery, Standard Webhooks' shape: <c>{ type, timestamp, data }</c>. The data names the entity
/// and its version (a receiver discards a version older than one it has), the changed fields as <c>{from, to}</c>, and the
/// entity as it stood after the change when the event carries it (<c>interview</c>).
/// </summary>
public static class WebhookPayload
{
    public static string For(string type, DomainEvent change) => Write(type, change.At, writer =>
    {
        writer.WriteString("entityType", change.EntityType);
        writer.WriteString("entityId", change.EntityId);
        writer.WriteNumber("version", change.Version);
        writer.WriteString("action", change.Action);
        writer.WritePropertyName("changes");
        writer.WriteRawValue(change.ChangesJson);
        if (change.DataJson is not null)
        {
            writer.WritePropertyName(change.EntityType == AuditEntityTypes.Event ? "interview" : change.EntityType);
            writer.WriteRawValue(change.DataJson);
        }
    });

    public static string Ping(string webhookId, DateTimeOffset at) => Write(Scheduler.Webhooks.WebhookEventTypes.Ping, at,
        writer => writer.WriteString("webhookId", webhookId));

    private static string Write(string type, DateTimeOffset at, Action<Utf8JsonWriter> data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("timestamp", at.UtcDateTime);
            writer.WriteStartObject("data");
            try
            {
                data(writer);
            }
            catch (ArgumentException error)
            {
                // Stored JSON that is not JSON: the dispatcher passes over an unreadable event (a JsonException) rather than retry it forever.
                throw new JsonException($"A domain event of {type} holds invalid JSON.", error);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
