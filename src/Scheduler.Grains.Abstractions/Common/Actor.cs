namespace Scheduler.Common;

/// <summary>Who asked for a change: stamped on every audit entry.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor(string Id, string Name)
{
    public static Actor System { get; } = new("system", "system");
}

/// <summary>
/// Carries the acting user from the HTTP edge to the grains through Orleans' <see cref="RequestContext"/>,
/// so the audit stamp is set once per request rather than passed through every method.
/// </summary>
public static class ActorContext
{
    private const string Key = "scheduler.actor";

    public static Actor Current => RequestContext.Get(Key) as Actor ?? Actor.System;

    public static void Set(Actor actor) => RequestContext.Set(Key, actor);
}
