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

[GenerateSerializer, Immutable]
public sealed record UserInfo(
    string Id,
    string Email,
    string Name,
    IReadOnlyList<string> Roles,
    string? InterviewerId,
    bool Disabled,
    DateTimeOffset CreatedAt,
    long Version);

/// <summary>One login, keyed by user id; its email is unique through the <see cref="IEmailIndexGrain"/>.</summary>
public interface IUserGrain : IGrainWithStringKey, IEmailHolder
{
    /// <exception cref="ConflictException">The email belongs to another user (<c>email_taken</c>).</exception>
    Task<UserInfo> Create(NewUser user);

    [ReadOnly]
    Task<UserInfo?> Get();

    /// <summary>The user when the password matches and the account is usable; otherwise null.</summary>
    Task<UserInfo?> Authenticate(string password);
}

/// <summary>Looks users up by email (stateless; use key 0).</summary>
public interface IUserDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The user when email and password match an enabled account; otherwise null (in about the same time).</summary>
    Task<UserInfo?> Authenticate(string email, string password);

    Task<UserInfo?> FindByEmail(string email);

    /// <exception cref="ConflictException">The email is in use (<c>email_taken</c>).</exception>
    Task<UserInfo> Register(NewUser user);
}
