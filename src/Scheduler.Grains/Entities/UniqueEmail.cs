using Scheduler.Common;

namespace Scheduler.Grains.Entities;

/// <summary>An email an entity holds uniquely among the owners of its kind (its claim in <c>email_claims</c>).</summary>
/// <param name="Owner">The kind of owner: emails are unique per kind.</param>
/// <param name="Of">The entity's email.</param>
/// <param name="Holder">How the conflict names the holder ("An interviewer").</param>
public sealed record UniqueEmail<TEntity>(EmailOwnerKind Owner, Func<TEntity, string> Of, string Holder)
{
    public ConflictException Taken(string email) => new($"{Holder} with email '{email}' already exists.", "email_taken");
}
