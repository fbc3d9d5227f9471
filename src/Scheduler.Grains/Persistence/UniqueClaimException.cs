namespace Scheduler.Grains.Persistence;

/// <summary>
/// A change's uniqueness claim (an email) is held by another entity: the database's unique index refused it, so
/// nothing of that change was committed. The grain reverts its memory and answers a conflict.
/// </summary>
public sealed class UniqueClaimException(string kind, string value, Exception inner)
    : Exception($"The {kind} claim on '{value}' is held by another entity.", inner)
{
    public string Kind { get; } = kind;

    public string Value { get; } = value;
}
