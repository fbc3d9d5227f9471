namespace Scheduler.Grains.Persistence;

/// <summary>A grain that projects its state into the read model; the start-up sweep calls it when it is behind.</summary>
public interface IProjectedGrain : IGrainWithStringKey
{
    /// <summary>Writes the current state (and any unflushed audit entries) to the read model.</summary>
    Task EnsureProjected();
}
