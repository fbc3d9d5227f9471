using Scheduler.Audit;

namespace Scheduler.Grains.Entities;

/// <summary>The durable state of one entity grain, as <see cref="EntityChanges{TState, TEntity}"/> changes it.</summary>
public interface IEntityState<TEntity>
    where TEntity : class
{
    TEntity? Current { get; set; }

    bool Deleted { get; set; }

    /// <summary>The audit entries of a change written but not yet committed (one another grain must carry out first).</summary>
    List<AuditEntry> Outbox { get; }
}
