namespace Scheduler.Grains.Persistence;

/// <summary>
/// An entity type whose grains project their state into a read-model table, as a feature registers it
/// (<see cref="ProjectedEntityRegistration.AddProjectedEntity{TGrain}"/>): the start-up sweep learns from these which
/// state rows to compare with which table, and which grain class to ask, without naming any grain itself.
/// </summary>
/// <param name="StateName">The <c>[PersistentState]</c> name of the entity's state (the storage's GrainTypeString).</param>
/// <param name="Table">The read-model table with one row per entity (<c>id</c>, <c>storage_version</c>).</param>
/// <param name="GrainClass">The full name of the grain class that implements <see cref="IProjectedGrain"/>.</param>
public sealed record ProjectedEntity(string StateName, string Table, string GrainClass);
