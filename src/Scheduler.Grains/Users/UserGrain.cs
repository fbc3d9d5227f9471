using Microsoft.AspNetCore.Identity;
using Scheduler.Common;
using Scheduler.Users;

namespace Scheduler.Grains.Users;

[GenerateSerializer]
public sealed class UserState
{
    [Id(0)]
    public UserInfo? Current { get; set; }

    [Id(1)]
    public string? PasswordHash { get; set; }
}

/// <summary>One login: profile, roles and the password hash, which never leaves this grain.</summary>
public sealed class UserGrain(
    [PersistentState("user")] IPersistentState<UserState> state,
    IPasswordHasher<UserInfo> hasher,
    TimeProvider time) : Grain, IUserGrain
{
    private string? _claimingEmail;

    private string Id => this.GetPrimaryKeyString();

    public Task<UserInfo?> Get() => Task.FromResult(state.State.Current);

    public Task<bool> HoldsEmail(string normalizedEmail) => Task.FromResult(
        _claimingEmail == normalizedEmail
        || (state.State.Current is { } current && EmailIndex.Normalize(current.Email) == normalizedEmail));

    public async Task<UserInfo> Create(NewUser user)
    {
        if (state.State.Current is not null)
        {
            throw new ConflictException($"User '{Id}' already exists.", "already_exists");
        }
        _claimingEmail = EmailIndex.Normalize(user.Email);
        try
        {
            if (!await GrainFactory.For(EmailOwnerKind.User, user.Email).TryReserve(Id))
            {
                throw new ConflictException($"A user with email '{user.Email}' already exists.", "email_taken");
            }
            var info = new UserInfo(Id, user.Email, user.Name, user.Roles, user.InterviewerId, Disabled: false, time.GetUtcNow(), 1);
            state.State.Current = info;
            state.State.PasswordHash = hasher.HashPassword(info, user.Password);
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                DeactivateOnIdle();
                throw;
            }
            return info;
        }
        finally
        {
            _claimingEmail = null;
        }
    }

    public async Task<UserInfo?> Authenticate(string password)
    {
        if (state.State.Current is not { Disabled: false } user || state.State.PasswordHash is not { } hash)
        {
            return null;
        }
        switch (hasher.VerifyHashedPassword(user, hash, password))
        {
            case PasswordVerificationResult.Success:
                return user;
            case PasswordVerificationResult.SuccessRehashNeeded:
                state.State.PasswordHash = hasher.HashPassword(user, password);
                await state.WriteStateAsync();
                return user;
            default:
                return null;
        }
    }
}
