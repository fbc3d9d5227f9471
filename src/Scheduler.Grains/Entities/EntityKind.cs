using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Entities;

/// <summary>What <see cref="EntityChanges{TState, TEntity}"/> needs to know of an entity type.</summary>
/// <param name="Label">How messages name it ("Interviewer 'x' was not found.").</param>
/// <param name="AuditType">Its audit-log entity type.</param>
/// <param name="StateName">Its <c>[PersistentState]</c> name.</param>
/// <param name="Version">Its version, which <c>If-Match</c> compares and each change raises.</param>
/// <param name="Projection">Its read-model rows at a storage version (deleted or not).</param>
/// <param name="Email">The email it holds uniquely among its kind, if any.</param>
/// <param name="Publish">
/// For an entity whose changes others hear about: the entity as JSON, the data of the domain event each change
/// commits to the outbox beside its audit row. Null: its changes publish nothing.
/// </param>
public sealed record EntityKind<TEntity>(
    string Label,
    string AuditType,
    string StateName,
    Func<TEntity, long> Version,
    Func<TEntity, bool, long, IReadModelChange> Projection,
    UniqueEmail<TEntity>? Email = null,
    Func<TEntity, string?>? Publish = null);
