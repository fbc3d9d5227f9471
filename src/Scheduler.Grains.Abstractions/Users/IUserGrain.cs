using Scheduler.Common;

namespace Scheduler.Users;

public static class Roles
{
    public const string Admin = "admin";
    public const string Talent = "talent";
    public const string Interviewer = "interviewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Talent, Interviewer];
}

[GenerateSerializer, Immutable]
public sealed record NewUser(string Email, string Name, string Password, IReadOnlyList<string> Roles, string? InterviewerId);

/// <summary>
/// What an admin may change on a user (a full replacement, except that a null <paramref name="Disabled"/> keeps what
/// the user has: leaving the flag out must never re-enable a disabled account). The email is the login and stays.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UserChange(string Name, IReadOnlyList<string> Roles, string? InterviewerId, bool? Disabled);

/// <summary>
/// A user's session stamp (null: no access token of the user is current) and how long, counted from before it was
/// asked for, it may be trusted without asking again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionLease(string? Stamp, TimeSpan Duration);

[GenerateSerializer, Immutable]
public sealed record UserInfo(
    string Id,
    string Email,
    string Name,
    IReadOnlyList<string> Roles,
    string? InterviewerId,
    bool Disabled,
    DateTimeOffset CreatedAt,
    long Version,
    DateTimeOffset? UpdatedAt = null);

/// <summary>
/// A signed-in session: the user, a new refresh token (only its hash is stored) and the user's session stamp, which
/// its access tokens carry: it changes when the user's sessions end or its roles change, and a token with another
/// stamp is no longer accepted (<see cref="IUserGrain.GetSessionLease"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Session(UserInfo User, string RefreshToken, string Stamp);

/// <summary>
/// One login, keyed by user id; its email is unique among users (a claim committed with its state). It keeps the
/// password hash, the failed-login count and lockout, and its refresh tokens (hashed, rotated, in families).
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <exception cref="ConflictException">The email belongs to another user (<c>email_taken</c>).</exception>
    /// <exception cref="DomainValidationException">The password breaks the policy (code and field say which rule).</exception>
    Task<UserInfo> Create(NewUser user);

    [ReadOnly]
    Task<UserInfo?> Get();

    /// <summary>
    /// The stamp a current access token of this user carries, and how long the asker may trust it. The stamp is null
    /// when no token is current (the user is deleted or disabled); it changes when every session ends (password
    /// changed or reset, disabled, deleted) and when roles or the interviewer link change. A call that ends a stamp
    /// is answered only once every lease granted before it has run out. Served between the turns of any other call;
    /// a read (it records nothing), so a call that meets a silo leaving the cluster is sent again.
    /// </summary>
    [AlwaysInterleave, ReadOnly]
    Task<SessionLease> GetSessionLease();

    /// <summary>
    /// Checks the password and opens a session (a new refresh-token family; past 10 live sessions the oldest is
    /// revoked). Null when the password is wrong, the account is disabled, or locked for <paramref name="source"/>
    /// (the client's address): 5 failures from one address within 15 minutes lock that address out for 15 minutes,
    /// 100 failures from any addresses lock the account.
    /// </summary>
    Task<Session?> SignIn(string password, string source);

    /// <summary>
    /// Opens a session without a password, after an external identity provider vouched for the user with an ID token
    /// (its SHA-256 and expiry): a password lockout does not refuse it, and each ID token opens one session only (null
    /// for a token seen before, or a disabled or deleted user).
    /// </summary>
    Task<Session?> SignInExternally(string provider, string idTokenHash, DateTimeOffset idTokenExpires);

    /// <summary>
    /// Spends the refresh token and returns a new one in the same family. A token presented a second time
    /// revokes its whole family (reuse detection). Null when the token is unknown, spent, revoked or expired.
    /// </summary>
    Task<Session?> Refresh(string refreshToken);

    /// <summary>Revokes the refresh token, if it is one of this user's.</summary>
    Task SignOut(string refreshToken);

    /// <summary>Sets a new password and revokes every session; a wrong current password counts as a failed sign-in from <paramref name="source"/>.</summary>
    /// <exception cref="DomainValidationException">The current password is wrong, or the new one is weak.</exception>
    Task ChangePassword(string currentPassword, string newPassword, string source = "unknown");

    /// <summary>
    /// An admin sets a new password for the user (who forgot theirs, or was locked out): every session is revoked and
    /// the lockout and failed sign-ins are cleared.
    /// </summary>
    /// <exception cref="NotFoundException">No such user.</exception>
    /// <exception cref="VersionMismatchException">Stale <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="DomainValidationException">The new password is weak.</exception>
    Task<UserInfo> ResetPassword(string newPassword, long? expectedVersion);

    /// <summary>An admin lifts every lock (the account's and every address's) and forgets the failed sign-ins; audited as <c>unlocked</c> when something was locked.</summary>
    /// <exception cref="NotFoundException">No such user.</exception>
    /// <exception cref="VersionMismatchException">Stale <paramref name="expectedVersion"/>.</exception>
    Task<UserInfo> Unlock(long? expectedVersion);

    /// <exception cref="NotFoundException">No such user.</exception>
    /// <exception cref="VersionMismatchException">Stale <paramref name="expectedVersion"/>.</exception>
    Task<UserInfo> Update(UserChange change, long? expectedVersion);

    /// <inheritdoc cref="Update"/>
    Task Delete(long? expectedVersion);
}

/// <summary>Looks users up by email (stateless; use key 0).</summary>
public interface IUserDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>A session when email and password match a usable account; otherwise null (in about the same time).</summary>
    Task<Session?> SignIn(string email, string password, string source);

    Task<UserInfo?> FindByEmail(string email);

    /// <exception cref="ConflictException">The email is in use (<c>email_taken</c>).</exception>
    Task<UserInfo> Register(NewUser user);

    Task<Page<UserInfo>> List(string? text, int limit, int offset);
}
