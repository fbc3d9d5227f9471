namespace Scheduler.Notifications;

/// <summary>
/// Something that happened to an entity, as committed with the change itself: the audit entry's facts (entity,
/// version, action, changes) and the entity as it stood after the change. <see cref="Seq"/> orders the outbox.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DomainEvent(
    long Seq,
    string EntityType,
    string EntityId,
    long Version,
    string Action,
    DateTimeOffset At,
    string ChangesJson,
    string? DataJson,
    string? TraceParent);
