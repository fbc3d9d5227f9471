using Microsoft.AspNetCore.Identity;
using Orleans.Concurrency;
using Scheduler.Common;
using Scheduler.Grains.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;
using Scheduler.Users;

namespace Scheduler.Grains.Users;

/// <summary>Finds users by email (sign-in, seeding) and lists them from the read model.</summary>
[StatelessWorker]
public sealed class UserDirectoryGrain(IPasswordHasher<UserInfo> hasher, SchedulerTelemetry telemetry, ReadModelQueries queries)
    : Grain, IUserDirectoryGrain
{
    private static readonly UserInfo Nobody = new("", "", "", [], null, true, DateTimeOffset.MinValue, 0);

    // A real hash, so that an unknown email costs the same time as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<UserInfo>().HashPassword(Nobody, Guid.NewGuid().ToString()));

    public async Task<Session?> SignIn(string email, string password, string source)
    {
        if (await Owner(email) is { } user)
        {
            return await user.SignIn(password, source); // the user grain counts its own failures and lockouts
        }
        hasher.VerifyHashedPassword(Nobody, DecoyHash.Value, password);
        telemetry.LoginFailed();
        return null;
    }

    public async Task<UserInfo?> FindByEmail(string email) => await Owner(email) is { } user ? await user.Get() : null;

    public Task<UserInfo> Register(NewUser user) =>
        GrainFactory.GetGrain<IUserGrain>(Guid.CreateVersion7().ToString("N")).Create(user);

    public async Task<Page<UserInfo>> List(string? text, int limit, int offset)
    {
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "users");
        return await UserReadModel.List(queries, text, limit, offset);
    }

    /// <summary>The user grain that holds this email now (its claim is committed with its state).</summary>
    private async Task<IUserGrain?> Owner(string email) =>
        await EmailClaims.Owner(queries, EmailOwnerKind.User, email) is { } ownerId ? GrainFactory.GetGrain<IUserGrain>(ownerId) : null;
}
