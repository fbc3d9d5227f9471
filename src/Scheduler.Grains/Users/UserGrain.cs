using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Entities;
using Scheduler.Grains.Telemetry;
using Scheduler.Interviewers;
using Scheduler.Users;

namespace Scheduler.Grains.Users;

/// <summary>One login: profile, roles, password hash (never leaves this grain), lockout and refresh tokens.</summary>
public sealed class UserGrain(
    [PersistentState(UserGrain.StateName)] IPersistentState<UserState> state,
    [PersistentState("sessions")] IPersistentState<SessionState> sessions,
    IPasswordHasher<UserInfo> hasher,
    SchedulerTelemetry telemetry,
    TimeProvider time,
    IOptions<SessionLeaseOptions> leases,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IIncomingGrainCallFilter
{
    // Past a lease's end on the grain's side: timers fire at or after their due time, to the millisecond.
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMilliseconds(50);

    public const string StateName = "user";

    private static readonly EntityKind<UserInfo> Kind = new("User", AuditEntityTypes.User, StateName, u => u.Version, UserReadModel.Projection,
        new(EmailOwnerKind.User, u => u.Email, "A user"));

    private EntityChanges<UserState, UserInfo>? _entity;

    private string Id => this.GetPrimaryKeyString();

    private EntityChanges<UserState, UserInfo> Entity => _entity ??= new(this, state, Kind, telemetry);

    private UserSessions? _sessions;

    private UserSessions Sessions => _sessions ??= new(this, sessions, time, logger);

    private SignInLockout Lockout => Sessions.Lockout;

    private RefreshTokenFamilies Families => Sessions.Families;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Entity.OnActivate();

    public Task<UserInfo?> Get() => Task.FromResult(Entity.Live);

    public Task<SessionLease> GetSessionLease() => Task.FromResult(new SessionLease(CurrentStamp(), leases.Value.Lease));

    private string? CurrentStamp() => state.State.Deleted || state.State.Current is not { Disabled: false } ? null : Families.Stamp;

    /// <summary>
    /// Around every call: one that ends the current stamp is answered only after the lease, so that every silo that
    /// heard the old stamp before the change has stopped trusting it by then (a silo counts its lease from before it
    /// asked; this wait starts after the change is stored). Leases are granted meanwhile, of the new stamp:
    /// <see cref="GetSessionLease"/> interleaves with the wait.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var before = CurrentStamp();
        try
        {
            await context.Invoke();
        }
        finally
        {
            if (before is not null && CurrentStamp() != before && leases.Value.Lease > TimeSpan.Zero)
            {
                await Task.Delay(leases.Value.Lease + LeaseMargin, time);
            }
        }
    }

    public async Task<UserInfo> Create(NewUser user)
    {
        if (state.State.Current is not null)
        {
            throw new ConflictException($"User '{Id}' already exists.", "already_exists");
        }
        PasswordStrength.Require("password", user.Password, user.Email, user.Name);
        var now = time.GetUtcNow();
        var info = new UserInfo(Id, user.Email, user.Name, user.Roles, user.InterviewerId, Disabled: false, now, 1, now);
        state.State.PasswordHash = hasher.HashPassword(info, user.Password);
        await Commit(info, AuditActions.Created, UserChanges.Between(null, info));
        return info;
    }

    public async Task<Session?> SignIn(string password, string source)
    {
        if (state.State.Deleted || state.State.Current is not { } user || state.State.PasswordHash is not { } hash)
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (Lockout.IsLocked(source, now))
        {
            // The same answer as a wrong password, after the same work: a locked account that answered sooner than
            // an unknown email (which pays for a decoy hash) would say that it exists.
            _ = hasher.VerifyHashedPassword(user, hash, password);
            telemetry.LoginFailed();
            return null;
        }
        var verdict = hasher.VerifyHashedPassword(user, hash, password);
        if (verdict == PasswordVerificationResult.Failed || user.Disabled)
        {
            await CountFailedPassword(source, now);
            return null;
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            state.State.PasswordHash = hasher.HashPassword(user, password);
            await state.WriteStateAsync();
        }
        Lockout.Succeeded(source, now);
        return await OpenSession(user);
    }

    // A lockout is audited, with the address it locks out (none: the account); the count is kept with the sessions.
    private async Task CountFailedPassword(string source, DateTimeOffset now)
    {
        if (Lockout.CountFailure(source, now) is { } locked)
        {
            telemetry.LockedOut();
            var changes = new ChangeSet().Field("lockedUntil", null, UserChanges.Iso(locked.Until)).Field("lockedAddress", null, locked.Source ?? "(all)");
            await Audit(AuditActions.LockedOut, changes, now);
        }
        telemetry.LoginFailed();
        await WriteSessions();
    }

    // A password lockout does not refuse it: the provider checked the user, and a stranger's wrong passwords must not
    // keep the owner out. The ID token opens one session only.
    public async Task<Session?> SignInExternally(string provider, string idTokenHash, DateTimeOffset idTokenExpires)
    {
        if (state.State.Deleted || state.State.Current is not { Disabled: false } user)
        {
            return null;
        }
        if (!new IdTokenExchanges(sessions.State).TryRecord(idTokenHash, idTokenExpires, time.GetUtcNow()))
        {
            logger.LogWarning("An ID token of {Provider} was presented again for user {UserId}: refused", provider, Id);
            return null;
        }
        return await OpenSession(user);
    }

    public async Task<Session?> Refresh(string refreshToken) =>
        state.State.Deleted || state.State.Current is not { Disabled: false } user ? null : await Sessions.Refresh(user, refreshToken);

    public Task SignOut(string refreshToken) => Sessions.SignOut(Id, refreshToken);

    public async Task ChangePassword(string currentPassword, string newPassword, string source)
    {
        var user = Entity.Require(null);
        var now = time.GetUtcNow();
        // A wrong current password counts as a failed sign-in, and a locked account changes nothing: otherwise a
        // stolen access token could guess the password here, unlimited by the lockout.
        var verdict = hasher.VerifyHashedPassword(user, state.State.PasswordHash!, currentPassword);
        var locked = Lockout.IsLocked(source, now);
        if (locked || verdict == PasswordVerificationResult.Failed)
        {
            if (!locked)
            {
                await CountFailedPassword(source, now);
            }
            throw new DomainValidationException("currentPassword", "The current password is not correct.", "wrong_password");
        }
        await SetPassword(user, newPassword, now, AuditActions.PasswordChanged, UserChanges.Password());
    }

    public async Task<UserInfo> ResetPassword(string newPassword, long? expectedVersion)
    {
        var user = Entity.Require(expectedVersion);
        var now = time.GetUtcNow();
        var changes = UserChanges.Password();
        if (Lockout.LockedUntil(now) is { } until)
        {
            changes.Field("lockedUntil", UserChanges.Iso(until), null);
        }
        var reset = await SetPassword(user, newPassword, now, AuditActions.PasswordReset, changes);
        // Lifted only once the new password is stored: a reset that failed leaves a locked account locked.
        Lockout.Clear();
        await WriteSessions();
        return reset;
    }

    public async Task<UserInfo> Unlock(long? expectedVersion)
    {
        var user = Entity.Require(expectedVersion);
        var now = time.GetUtcNow();
        if (Lockout.LockedUntil(now) is not { } until)
        {
            return user; // nothing is locked: nothing changes, nothing is audited
        }
        Lockout.Clear();
        await WriteSessions();
        await Audit(AuditActions.Unlocked, new ChangeSet().Field("lockedUntil", UserChanges.Iso(until), null), now);
        return state.State.Current!;
    }

    private async Task<UserInfo> SetPassword(UserInfo user, string newPassword, DateTimeOffset now, string action, ChangeSet changes)
    {
        PasswordStrength.Require("newPassword", newPassword, user.Email, user.Name);
        // Sessions are revoked before the new password is stored, in two writes: a crash between them leaves the
        // old password with no session (sign in again), never the new password with the old sessions still valid.
        await RevokeAllSessions();
        state.State.PasswordHash = hasher.HashPassword(user, newPassword);
        var changed = user with { Version = user.Version + 1, UpdatedAt = now };
        await Commit(changed, action, changes);
        return changed;
    }

    public async Task<UserInfo> Update(UserChange change, long? expectedVersion)
    {
        var current = Entity.Require(expectedVersion);
        var updated = current with { Name = change.Name, Roles = change.Roles, InterviewerId = change.InterviewerId, Disabled = change.Disabled ?? current.Disabled };
        var changes = UserChanges.Between(current, updated);
        if (changes.IsEmpty)
        {
            return current;
        }
        updated = updated with { Version = current.Version + 1, UpdatedAt = time.GetUtcNow() };
        if (current.InterviewerId is { } linked && ((updated.Disabled && !current.Disabled) || updated.InterviewerId != linked))
        {
            await RotateFeedOf(linked);
        }
        // Access tokens are cut before the change is stored, as for a password: a crash between the two writes ends
        // sessions that could have stayed, never leaves a disabled user's or a removed role's tokens working.
        if (updated.Disabled && !current.Disabled)
        {
            await RevokeAllSessions();
        }
        else if (!updated.Roles.SequenceEqual(current.Roles) || updated.InterviewerId != current.InterviewerId)
        {
            // Refresh tokens stay: the next refresh issues a token with the new roles.
            Families.ChangeStamp();
            await WriteSessions();
        }
        await Commit(updated, AuditActions.Updated, changes);
        return updated;
    }

    public async Task Delete(long? expectedVersion)
    {
        var current = Entity.Require(expectedVersion);
        var deleted = current with { Version = current.Version + 1, UpdatedAt = time.GetUtcNow() };
        if (current.InterviewerId is { } linked)
        {
            await RotateFeedOf(linked);
        }
        await Entity.Record(deleted, AuditActions.Deleted, UserChanges.Between(current, null), deleted.UpdatedAt!.Value, deleted: true);
        await RevokeAllSessions();
    }

    // The entry is stamped when the change happened: a profile change's UpdatedAt, or at (a lockout changes no profile field).
    private Task Commit(UserInfo next, string action, ChangeSet changes, DateTimeOffset? at = null) =>
        Entity.Record(next, action, changes, at ?? next.UpdatedAt ?? next.CreatedAt);

    /// <summary>An audit entry for an event that does not change the profile (a lockout): it takes the next version.</summary>
    private Task Audit(string action, ChangeSet changes, DateTimeOffset at)
    {
        var user = state.State.Current!;
        return Commit(user with { Version = user.Version + 1 }, action, changes, at);
    }

    /// <summary>
    /// A user who loses its interviewer (disabled, deleted, unlinked) may have copied that interviewer's calendar feed URL,
    /// which needs no sign-in: the feed gets a new secret (audited on the interviewer). Before the change is stored, as
    /// sessions are cut: a crash between the two writes rotates a feed that could have stayed, never leaves it readable.
    /// </summary>
    private async Task RotateFeedOf(string interviewerId)
    {
        try
        {
            await GrainFactory.GetGrain<IInterviewerGrain>(interviewerId).RotateCalendarFeed();
        }
        catch (NotFoundException)
        {
            // The interviewer is gone, and its feed with it.
        }
    }

    private Task WriteSessions() => Sessions.Write();

    private Task<Session> OpenSession(UserInfo user) => Sessions.Open(user);

    private Task RevokeAllSessions() => Sessions.RevokeAll();
}
