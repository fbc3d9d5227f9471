using System.Buffers;
using System.Text.Json;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Audit;

/// <summary>The one place an audit entry is stamped: id, actor (from the request context) and time.</summary>
public static class AuditTrail
{
    public static AuditEntry Entry(string entityType, string entityId, long version, string action, string changesJson, DateTimeOffset now)
    {
        var actor = ActorContext.Current;
        return new AuditEntry(Guid.CreateVersion7(now).ToString("N"), entityType, entityId, version, action, actor.Id, actor.Name, now, changesJson);
    }

    /// <summary>Inserts the entry into <c>audit_logs</c> unless (entity, version) is already there.</summary>
    public static IReadModelChange Projection(AuditEntry entry) => new AuditRow(entry);

    private sealed record AuditRow(AuditEntry Entry) : IReadModelChange
    {
        private const string Sql = """
            INSERT INTO audit_logs (id, entity_type, entity_id, entity_version, action, actor_id, actor, timestamp, changes)
            VALUES (@id, @type, @entityId, @version, @action, @actorId, @actor, @timestamp, @changes)
            ON CONFLICT DO NOTHING
            """;

        public void Apply(ReadModelSession session)
        {
            var command = session.Command(Sql);
            command.Add("@id", Entry.Id);
            command.Add("@type", Entry.EntityType);
            command.Add("@entityId", Entry.EntityId);
            command.Add("@version", Entry.EntityVersion);
            command.Add("@action", Entry.Action);
            command.Add("@actorId", Entry.ActorId);
            command.Add("@actor", Entry.Actor);
            command.Add("@timestamp", SqlTime.ToText(Entry.Timestamp));
            command.Add("@changes", Entry.ChangesJson);
            session.Execute(command);
        }
    }
}

/// <summary>Builds the <c>changes</c> object of an audit entry: each changed field as <c>{"from", "to"}</c>.</summary>
public sealed class ChangeSet
{
    // Written straight into one buffer sized for a typical change set (a stream underneath made the writer keep a
    // buffer of its own and grow both).
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public ChangeSet()
    {
        _writer = new Utf8JsonWriter(_buffer);
        _writer.WriteStartObject();
    }

    public ChangeSet Field(string name, string? from, string? to)
    {
        if (!string.Equals(from, to, StringComparison.Ordinal))
        {
            _writer.WriteStartObject(name);
            _writer.WriteString("from", from);
            _writer.WriteString("to", to);
            _writer.WriteEndObject();
        }
        return this;
    }

    public ChangeSet Field(string name, IReadOnlyList<string>? from, IReadOnlyList<string>? to)
    {
        if (!(from ?? []).SequenceEqual(to ?? [], StringComparer.Ordinal) || (from is null) != (to is null))
        {
            _writer.WriteStartObject(name);
            WriteList("from", from);
            WriteList("to", to);
            _writer.WriteEndObject();
        }
        return this;
    }

    public ChangeSet Field(string name, long? from, long? to)
    {
        if (from != to)
        {
            _writer.WriteStartObject(name);
            WriteNumber("from", from);
            WriteNumber("to", to);
            _writer.WriteEndObject();
        }
        return this;
    }

    /// <summary>A field whose values are JSON documents (compared as text).</summary>
    public ChangeSet JsonField(string name, string? fromJson, string? toJson)
    {
        if (!string.Equals(fromJson, toJson, StringComparison.Ordinal))
        {
            _writer.WriteStartObject(name);
            WriteRaw("from", fromJson);
            WriteRaw("to", toJson);
            _writer.WriteEndObject();
        }
        return this;
    }

    public bool IsEmpty => _writer.BytesPending + _writer.BytesCommitted <= 1;

    public string ToJson()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private void WriteNumber(string name, long? value)
    {
        if (value is { } number)
        {
            _writer.WriteNumber(name, number);
        }
        else
        {
            _writer.WriteNull(name);
        }
    }

    private void WriteRaw(string name, string? json)
    {
        _writer.WritePropertyName(name);
        if (json is null)
        {
            _writer.WriteNullValue();
        }
        else
        {
            _writer.WriteRawValue(json);
        }
    }

    private void WriteList(string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            _writer.WriteNull(name);
            return;
        }
        _writer.WriteStartArray(name);
        foreach (var value in values)
        {
            _writer.WriteStringValue(value);
        }
        _writer.WriteEndArray();
    }
}
