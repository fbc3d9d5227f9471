using Scheduler.Live;

namespace Scheduler.Api.Live;

/// <summary>
/// What a live client hears, through the one hub method <c>changed</c> (or one Server-Sent Event): <c>changed</c>,
/// enough to refetch the entity; or <c>resync</c>, when what changed since the position it gave cannot be replayed
/// (refetch what is shown). <see cref="Position"/> is what to send back on reconnecting.
/// </summary>
public sealed record LiveMessage(string Type, string? EntityType, string? EntityId, long? Version, string? Action, DateTimeOffset? At, long Position)
{
    public const string Changed = "changed";
    public const string Resync = "resync";

    public static LiveMessage From(LiveItem item) => item.Change is { } change
        ? new LiveMessage(Changed, change.EntityType, change.EntityId, change.Version, change.Action, change.At, change.Position)
        : new LiveMessage(Resync, null, null, null, null, null, item.Position);
}
