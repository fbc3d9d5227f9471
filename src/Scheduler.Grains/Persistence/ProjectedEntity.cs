namespace Scheduler.Grains.Persistence;

/// <summary>
/// An entity type whose grains commit a read-model row with every state write, as a feature registers it
/// (<see cref="ProjectedEntityRegistration.AddProjectedEntity"/>): the start-up check counts its state rows against
/// that table's rows, without naming any grain itself.
/// </summary>
/// <param name="StateName">The <c>[PersistentState]</c> name of the entity's state (the storage's GrainTypeString).</param>
/// <param name="Table">The read-model table with one row per entity, deleted ones included.</param>
public sealed record ProjectedEntity(string StateName, string Table);
