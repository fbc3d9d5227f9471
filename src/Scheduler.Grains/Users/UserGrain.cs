using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Grains.Audit;
using Scheduler.Grains.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;
using Scheduler.Users;

namespace Scheduler.Grains.Users;

[GenerateSerializer]
public sealed class UserState
{
    [Id(0)]
    public UserInfo? Current { get; set; }

    [Id(1)]
    public string? PasswordHash { get; set; }

    [Id(2)]
    public bool Deleted { get; set; }

    [Id(3)]
    public List<AuditEntry> Outbox { get; set; } = [];
}

/// <summary>One login: profile, roles, password hash (never leaves this grain), lockout and refresh tokens.</summary>
public sealed class UserGrain(
    [PersistentState(UserGrain.StateName)] IPersistentState<UserState> state,
    [PersistentState("sessions")] IPersistentState<SessionState> sessions,
    IPasswordHasher<UserInfo> hasher,
    EntityProjector projector,
    SchedulerTelemetry telemetry,
    TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IProjectedGrain
{
    public const string StateName = "user";


    private string? _claimingEmail;

    // The email storage says this grain holds: while a delete is being written, the index must still hear it is held.
    private string? _durableEmail;

    private long _durableAt;

    private string Id => this.GetPrimaryKeyString();

    // Views over the session state as last read (a read replaces the state object, so none is kept).
    private SignInLockout Lockout => new(sessions.State);

    private RefreshTokenFamilies Families => new(sessions.State, time);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _durableEmail = HeldEmail();
        if (state.State.Outbox.Count > 0)
        {
            await Project();
        }
    }

    public Task<UserInfo?> Get() => Task.FromResult(state.State.Deleted ? null : state.State.Current);

    public Task<string?> GetSessionStamp() =>
        Task.FromResult(state.State.Deleted || state.State.Current is not { Disabled: false } ? null : Families.Stamp);

    public Task<bool> HoldsEmail(string normalizedEmail) =>
        Task.FromResult(_claimingEmail == normalizedEmail || _durableEmail == normalizedEmail);

    public Task EnsureProjected() => Project(force: true);

    public async Task<UserInfo> Create(NewUser user)
    {
        if (state.State.Current is not null)
        {
            throw new ConflictException($"User '{Id}' already exists.", "already_exists");
        }
        if (PasswordPolicy.Problem(user.Password) is { } weak)
        {
            throw new DomainValidationException("password", weak, "weak_password");
        }
        _claimingEmail = EmailIndex.Normalize(user.Email);
        try
        {
            if (!await this.TryReserveEmail(GrainFactory, EmailOwnerKind.User, user.Email, Id))
            {
                throw new ConflictException($"A user with email '{user.Email}' already exists.", "email_taken");
            }
            var now = time.GetUtcNow();
            var info = new UserInfo(Id, user.Email, user.Name, user.Roles, user.InterviewerId, Disabled: false, now, 1, now);
            state.State.PasswordHash = hasher.HashPassword(info, user.Password);
            await Commit(info, AuditActions.Created, Changes(null, info));
        }
        finally
        {
            _claimingEmail = null;
        }
        await Project();
        return state.State.Current!;
    }

    public async Task<Session?> SignIn(string password)
    {
        if (state.State.Deleted || state.State.Current is not { } user || state.State.PasswordHash is not { } hash)
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (Lockout.IsLocked(now))
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
            await CountFailedPassword(now);
            return null;
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            state.State.PasswordHash = hasher.HashPassword(user, password);
            await state.WriteStateAsync();
        }
        Lockout.Clear();
        return await OpenSession(user, RefreshTokenFamilies.NewFamily());
    }

    // A lockout is audited; the count is kept with the sessions.
    private async Task CountFailedPassword(DateTimeOffset now)
    {
        if (Lockout.CountFailure(now) is { } lockedUntil)
        {
            telemetry.LockedOut();
            await Audit(AuditActions.LockedOut, new ChangeSet().Field("lockedUntil", null, Iso(lockedUntil)), now);
        }
        telemetry.LoginFailed();
        await WriteSessions();
    }

    public async Task<Session?> SignInExternally(string provider)
    {
        if (state.State.Deleted || state.State.Current is not { Disabled: false } user || Lockout.IsLocked(time.GetUtcNow()))
        {
            return null;
        }
        return await OpenSession(user, RefreshTokenFamilies.NewFamily());
    }

    public async Task<Session?> Refresh(string refreshToken)
    {
        if (state.State.Deleted || state.State.Current is not { Disabled: false } user)
        {
            return null;
        }
        switch (Families.Redeem(refreshToken, out var familyId))
        {
            case RefreshOutcome.Redeemed:
                return await OpenSession(user, familyId!);
            case RefreshOutcome.Reused:
                logger.LogWarning("Refresh token reuse for user {UserId}: family revoked", Id);
                await WriteSessions();
                return null;
            default:
                return null;
        }
    }

    public async Task SignOut(string refreshToken)
    {
        if (Families.Revoke(refreshToken))
        {
            await WriteSessions();
        }
    }

    public async Task ChangePassword(string currentPassword, string newPassword)
    {
        var user = Require(null);
        var now = time.GetUtcNow();
        // A wrong current password counts as a failed sign-in, and a locked account changes nothing: otherwise a
        // stolen access token could guess the password here, unlimited by the lockout.
        var verdict = hasher.VerifyHashedPassword(user, state.State.PasswordHash!, currentPassword);
        var locked = Lockout.IsLocked(now);
        if (locked || verdict == PasswordVerificationResult.Failed)
        {
            if (!locked)
            {
                await CountFailedPassword(now);
            }
            throw new DomainValidationException("currentPassword", "The current password is not correct.", "wrong_password");
        }
        await SetPassword(user, newPassword, now, AuditActions.PasswordChanged, PasswordChanges());
    }

    public async Task<UserInfo> ResetPassword(string newPassword, long? expectedVersion)
    {
        var user = Require(expectedVersion);
        var now = time.GetUtcNow();
        var changes = PasswordChanges();
        if (Lockout.LockedUntil(now) is { } until)
        {
            changes.Field("lockedUntil", Iso(until), null);
        }
        var reset = await SetPassword(user, newPassword, now, AuditActions.PasswordReset, changes);
        // Lifted only once the new password is stored: a reset that failed leaves a locked account locked.
        Lockout.Clear();
        await WriteSessions();
        return reset;
    }

    private async Task<UserInfo> SetPassword(UserInfo user, string newPassword, DateTimeOffset now, string action, ChangeSet changes)
    {
        if (PasswordPolicy.Problem(newPassword) is { } weak)
        {
            throw new DomainValidationException("newPassword", weak, "weak_password");
        }
        // Sessions are revoked before the new password is stored, in two writes: a crash between them leaves the
        // old password with no session (sign in again), never the new password with the old sessions still valid.
        await RevokeAllSessions();
        state.State.PasswordHash = hasher.HashPassword(user, newPassword);
        var changed = user with { Version = user.Version + 1, UpdatedAt = now };
        await Commit(changed, action, changes);
        await Project();
        return changed;
    }

    public async Task<UserInfo> Update(UserChange change, long? expectedVersion)
    {
        var current = Require(expectedVersion);
        var updated = current with { Name = change.Name, Roles = change.Roles, InterviewerId = change.InterviewerId, Disabled = change.Disabled ?? current.Disabled };
        var changes = Changes(current, updated);
        if (changes.IsEmpty)
        {
            return current;
        }
        updated = updated with { Version = current.Version + 1, UpdatedAt = time.GetUtcNow() };
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
        await Project();
        return updated;
    }

    public async Task Delete(long? expectedVersion)
    {
        var current = Require(expectedVersion);
        state.State.Deleted = true;
        await Commit(current with { Version = current.Version + 1, UpdatedAt = time.GetUtcNow() }, AuditActions.Deleted, Changes(current, null));
        await RevokeAllSessions();
        try
        {
            await GrainFactory.For(EmailOwnerKind.User, current.Email).Release(Id);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Could not release email reservation of user {UserId}", Id);
        }
        await Project();
    }

    private async Task<Session> OpenSession(UserInfo user, string familyId)
    {
        var (token, stamp) = Families.Open(Id, familyId);
        await WriteSessions();
        return new Session(user, token, stamp);
    }

    private async Task RevokeAllSessions()
    {
        Families.RevokeAll();
        await WriteSessions();
    }

    private UserInfo Require(long? expectedVersion)
    {
        if (state.State.Deleted || state.State.Current is not { } current)
        {
            throw new NotFoundException($"User '{Id}' was not found.");
        }
        if (expectedVersion is { } expected && expected != current.Version)
        {
            throw new VersionMismatchException(expected, current.Version);
        }
        return current;
    }

    // The entry is stamped when the change happened: a profile change's UpdatedAt, or at (a lockout changes no profile field).
    private async Task Commit(UserInfo next, string action, ChangeSet changes, DateTimeOffset? at = null)
    {
        state.State.Current = next;
        state.State.Outbox.Add(AuditTrail.Entry(AuditEntityTypes.User, Id, next.Version, action, changes.ToJson(), at ?? next.UpdatedAt ?? next.CreatedAt));
        _durableAt = await projector.Write(this, state);
        _durableEmail = HeldEmail();
    }

    private string? HeldEmail() =>
        !state.State.Deleted && state.State.Current is { } current ? EmailIndex.Normalize(current.Email) : null;

    /// <summary>An audit entry for an event that does not change the profile (a lockout): it takes the next version.</summary>
    private async Task Audit(string action, ChangeSet changes, DateTimeOffset at)
    {
        var user = state.State.Current!;
        await Commit(user with { Version = user.Version + 1 }, action, changes, at);
        await Project();
    }

    private Task WriteSessions() => projector.Write(this, sessions);

    private Task Project(bool force = false) =>
        state.State.Current is { } current && (force || state.State.Outbox.Count > 0)
            ? projector.Project(UserReadModel.Projection(current, state.State.Deleted, EntityProjector.StorageVersion(state.Etag)),
                state.State.Outbox, StateName, Id, _durableAt)
            : Task.CompletedTask;

    // The entry says that the password changed, never what it is.
    private static ChangeSet PasswordChanges() => new ChangeSet().Field("password", "(hidden)", "(changed)");

    private static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static ChangeSet Changes(UserInfo? before, UserInfo? after) => new ChangeSet()
        .Field("email", before?.Email, after?.Email)
        .Field("name", before?.Name, after?.Name)
        .Field("roles", before?.Roles, after?.Roles)
        .Field("interviewerId", before?.InterviewerId, after?.InterviewerId)
        .Field("disabled", before is null ? null : before.Disabled ? "true" : "false", after is null ? null : after.Disabled ? "true" : "false");
}
