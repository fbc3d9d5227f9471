using Microsoft.AspNetCore.Identity;
using Orleans.Concurrency;
using Scheduler.Common;
using Scheduler.Grains.Telemetry;
using Scheduler.Users;

namespace Scheduler.Grains.Users;

/// <summary>Finds users by email: sign-in and start-up seeding.</summary>
[StatelessWorker]
public sealed class UserDirectoryGrain(IPasswordHasher<UserInfo> hasher, SchedulerTelemetry telemetry) : Grain, IUserDirectoryGrain
{
    private static readonly UserInfo Nobody = new("", "", "", [], null, true, DateTimeOffset.MinValue, 0);

    // A real hash, so that an unknown email costs the same time as a wrong password.
    private static string? s_decoyHash;

    public async Task<UserInfo?> Authenticate(string email, string password)
    {
        var user = await Verify(email, password);
        if (user is null)
        {
            telemetry.LoginFailed();
        }
        return user;
    }

    private async Task<UserInfo?> Verify(string email, string password)
    {
        var ownerId = await GrainFactory.For(EmailOwnerKind.User, email).GetOwner();
        if (ownerId is not null)
        {
            var user = await GrainFactory.GetGrain<IUserGrain>(ownerId).Authenticate(password);
            if (user is not null && EmailIndex.Normalize(user.Email) == EmailIndex.Normalize(email))
            {
                return user;
            }
            return null;
        }
        s_decoyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Nobody, s_decoyHash, password);
        return null;
    }

    public async Task<UserInfo?> FindByEmail(string email)
    {
        var ownerId = await GrainFactory.For(EmailOwnerKind.User, email).GetOwner();
        if (ownerId is null)
        {
            return null;
        }
        var user = await GrainFactory.GetGrain<IUserGrain>(ownerId).Get();
        return user is not null && EmailIndex.Normalize(user.Email) == EmailIndex.Normalize(email) ? user : null;
    }

    public async Task<UserInfo> Register(NewUser user)
    {
        return await GrainFactory.GetGrain<IUserGrain>(Guid.CreateVersion7().ToString("N")).Create(user);
    }
}
