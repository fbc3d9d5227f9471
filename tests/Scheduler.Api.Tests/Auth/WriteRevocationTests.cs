using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>
/// On a host whose silos trust a session stamp for a lease: the change that ends it is answered only once the lease
/// ran out, so a disabled or demoted admin, or one whose password changed, changes nothing from that answer on.
/// </summary>
public sealed class WriteRevocationTests(TrustingFactory factory) : IClassFixture<TrustingFactory>
{
    private const string Password = "correct horse battery staple";

    // A second admin, signed in, whose token this silo has just confirmed (a read and a write).
    private async Task<(string Id, HttpClient Client)> SignedInAdmin(HttpClient admin)
    {
        var email = $"admin2.{Guid.NewGuid():N}@example.com";
        var created = await ApiAssert.Json(await admin.PostAsJsonAsync("/api/users",
            new { email, name = "Second Admin", password = Password, roles = new[] { Roles.Admin } }), HttpStatusCode.Created);
        var client = factory.CreateClient();
        client.UseTokens(await client.SignIn(email, Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users?limit=1")).StatusCode);
        await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", new { name = "Warm", email = $"warm.{Guid.NewGuid():N}@example.com" }), HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, client);
    }

    [Fact]
    public async Task DisabledAdmin_OldToken_CannotReEnableItselfOrCreateAnAdmin()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (id, client) = await SignedInAdmin(admin);
        using var _ = client;

        await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "Second Admin", roles = new[] { Roles.Admin }, disabled = true }), HttpStatusCode.OK);
        var reEnable = await client.PutAsJsonAsync($"/api/users/{id}", new { name = "Second Admin", roles = new[] { Roles.Admin }, disabled = false });
        var newAdmin = await client.PostAsJsonAsync("/api/users",
            new { email = $"sneaky.{Guid.NewGuid():N}@example.com", name = "Sneaky", password = Password, roles = new[] { Roles.Admin } });

        var read = await client.GetAsync("/api/users?limit=1");

        await ApiAssert.Problem(reEnable, HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(newAdmin, HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(read, HttpStatusCode.Unauthorized);
        var stored = await ApiAssert.Json(await admin.GetAsync($"/api/users/{id}"), HttpStatusCode.OK);
        Assert.True(stored.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task DemotedAdmin_OldToken_WriteIsRefusedAtOnce()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (id, client) = await SignedInAdmin(admin);
        using var _ = client;

        await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "Second Admin", roles = new[] { Roles.Talent } }), HttpStatusCode.OK);
        var promote = await client.PutAsJsonAsync($"/api/users/{id}", new { name = "Second Admin", roles = new[] { Roles.Admin } });

        await ApiAssert.Problem(promote, HttpStatusCode.Unauthorized);
        var stored = await ApiAssert.Json(await admin.GetAsync($"/api/users/{id}"), HttpStatusCode.OK);
        Assert.Equal([Roles.Talent], stored.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task PasswordChanged_AnotherSessionsOldToken_WriteIsRefusedAtOnce()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var (_, client) = await SignedInAdmin(admin);
        using var _ = client;
        var me = await ApiAssert.Json(await client.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        using var otherDevice = factory.CreateClient();
        otherDevice.UseTokens(await otherDevice.SignIn(me.GetProperty("email").GetString()!, Password));

        Assert.Equal(HttpStatusCode.NoContent, (await otherDevice.PostAsJsonAsync("/api/auth/change-password",
            new { currentPassword = Password, newPassword = "a brand new passphrase for me" })).StatusCode);
        var write = await client.PostAsJsonAsync("/api/interviewers", new { name = "Late", email = $"late.{Guid.NewGuid():N}@example.com" });

        await ApiAssert.Problem(write, HttpStatusCode.Unauthorized);
    }
}
