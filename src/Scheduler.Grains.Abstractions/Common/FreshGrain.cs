namespace Scheduler.Common;

/// <summary>
/// Marks a call as the one that creates its grain under an id just minted for it (<see cref="Announce(IAddressable)"/>): nothing
/// can be stored under that id yet, so the activation this call triggers, on whichever silo, answers its state reads
/// as "nothing stored" without asking the database (the request context of the message that triggers an activation
/// is the activation's while its states are read). Only that grain, and only while the announcing call runs, is
/// spared the reads: any later activation reads as usual, and a call sent again after an unknown outcome is sent
/// without the mark (it may have stored something). Were something stored under the id all the same, the first write
/// would still fail the storage's version check rather than overwrite it.
/// </summary>
public static class FreshGrain
{
    private const string Key = "scheduler.fresh-grain";

    /// <summary>Marks the calls made until the returned scope is disposed as creating <paramref name="grain"/>.</summary>
    public static Scope Announce(IAddressable grain) => Announce(grain.GetGrainId());

    /// <inheritdoc cref="Announce(IAddressable)"/>
    public static Scope Announce(GrainId grain)
    {
        RequestContext.Set(Key, grain);
        return default;
    }

    /// <summary>Whether the current call announced <paramref name="grain"/> as fresh.</summary>
    public static bool IsAnnounced(GrainId grain) => RequestContext.Get(Key) is GrainId fresh && fresh.Equals(grain);

    /// <summary>Removes the mark from the current call and the calls it makes from now on.</summary>
    public static void Withdraw() => RequestContext.Remove(Key);

    public readonly struct Scope : IDisposable
    {
        public void Dispose() => Withdraw();
    }
}
