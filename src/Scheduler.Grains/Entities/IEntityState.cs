using Scheduler.Audit;

namespace Scheduler.Grains.Entities;

/// <summary>The durable state of one entity grain, as <see cref="EntityChanges{TState, TEntity}"/> changes it.</summary>
public interface IEntityState<TEntity>
    where TEntity : class
{
    TEntity? Current { get; set; }

    bool Deleted { get; set; }

    /// <summary>What a change writes beside the entity and is not yet known to be in the read model: its audit entries.</summary>
    List<AuditEntry> Outbox { get; }
}
