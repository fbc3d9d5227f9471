using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

public sealed class UnlockTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private const string Password = "correct horse battery staple";

    private async Task<(string Id, string Email)> LockedUser()
    {
        using var client = factory.CreateClient();
        var email = $"unlock.{Guid.NewGuid():N}@example.com";
        var user = await factory.RegisterUser(email, "Locked Out", Password, Roles.Talent);
        for (var n = 0; n < 5; n++)
        {
            await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "a-wrong-password" }), HttpStatusCode.Unauthorized);
        }
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password }), HttpStatusCode.Unauthorized);
        return (user.Id, email);
    }

    [Fact]
    public async Task Unlock_ByAdmin_LiftsTheLock_AndIsAudited()
    {
        var (id, email) = await LockedUser();
        var admin = await factory.ClientAs(Roles.Admin);

        var unlocked = await admin.PostAsync($"/api/users/{id}/unlock", null);
        using var client = factory.CreateClient();
        var signIn = await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password });

        Assert.Equal(HttpStatusCode.NoContent, unlocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityType=user&entityId={id}&action=unlocked"), HttpStatusCode.OK);
        var entry = Assert.Single(audit.GetProperty("data").EnumerateArray());
        Assert.Equal(SchedulerApiFactory.AdminEmail, entry.GetProperty("actor").GetString());
        Assert.True(entry.GetProperty("changes").TryGetProperty("lockedUntil", out _));
    }

    [Fact]
    public async Task Unlock_ByTalent_IsForbidden_AndTheLockStays()
    {
        var (id, email) = await LockedUser();
        var talent = await factory.ClientAs(Roles.Talent);

        var refused = await talent.PostAsync($"/api/users/{id}/unlock", null);
        using var client = factory.CreateClient();

        await ApiAssert.Problem(refused, HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password }), HttpStatusCode.Unauthorized);
    }
}
