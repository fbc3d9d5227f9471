namespace Scheduler.Grains.Persistence;

/// <summary>A change to the read model; applied inside the writer's transaction, so it must be idempotent.</summary>
public interface IReadModelChange
{
    void Apply(ReadModelSession session);
}
