using Scheduler.Common;
using Scheduler.Interviewers;
using Scheduler.Users;

namespace Scheduler.Grains.Common;

[GenerateSerializer]
public sealed class EmailIndexState
{
    [Id(0)]
    public string? OwnerId { get; set; }
}

/// <summary>
/// Holds which grain owns one email. Calls are handled one at a time, so of many concurrent reservations, on
/// any silo, exactly one wins. An owner that crashed after reserving, or that moved to another email without
/// releasing this one, no longer holds it: the next reservation asks the owner, finds that out, and reclaims.
/// It is needed only while an email changes hands, so it leaves memory once a change is durable: otherwise every
/// create would keep two grains in memory for the collection age (15 minutes) instead of one.
/// </summary>
public sealed class EmailIndexGrain(
    [PersistentState("email-index")] IPersistentState<EmailIndexState> state) : Grain, IEmailIndexGrain
{
    public async Task<bool> TryReserve(string ownerId)
    {
        if (state.State.OwnerId == ownerId)
        {
            return true;
        }
        if (!await IsFreeFor(ownerId))
        {
            return false;
        }
        await Write(ownerId);
        DeactivateOnIdle();
        return true;
    }

    public async Task Release(string ownerId)
    {
        if (state.State.OwnerId != ownerId)
        {
            return;
        }
        await Write(null);
        DeactivateOnIdle();
    }

    public Task<string?> GetOwner() => Task.FromResult(state.State.OwnerId);

    public async Task<bool> IsFreeFor(string ownerId) =>
        state.State.OwnerId is not { } owner || owner == ownerId || !await OwnerHoldsEmail(owner);

    // Memory never runs ahead of storage: the fast path above ("already yours") trusts it. A failed write restores the
    // owner for the calls already queued here and leaves memory, so the next activation reads what is durable.
    private async Task Write(string? ownerId)
    {
        var before = state.State.OwnerId;
        state.State.OwnerId = ownerId;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.OwnerId = before;
            DeactivateOnIdle();
            throw;
        }
    }

    private Task<bool> OwnerHoldsEmail(string ownerId)
    {
        var key = this.GetPrimaryKeyString();
        var separator = key.IndexOf('/', StringComparison.Ordinal);
        var kind = key[..separator];
        var email = key[(separator + 1)..];
        IEmailHolder owner = kind switch
        {
            "interviewer" => GrainFactory.GetGrain<IInterviewerGrain>(ownerId),
            "user" => GrainFactory.GetGrain<IUserGrain>(ownerId),
            _ => throw new InvalidOperationException($"Unknown email index kind '{kind}'."),
        };
        return owner.HoldsEmail(email);
    }
}
