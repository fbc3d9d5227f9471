using Scheduler.Users;

namespace Scheduler.Api.Tests.Users;

public sealed class UsersApiTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task Create_Get_List_Update_Delete_AsAdmin()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"user.{Guid.NewGuid():N}@example.com";

        var created = await admin.PostAsJsonAsync("/api/users", new { email, name = "New User", password = "a-long-enough-password", roles = new[] { "talent" } });
        var body = await ApiAssert.Json(created, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString();
        var fetched = await ApiAssert.Json(await admin.GetAsync($"/api/users/{id}"), HttpStatusCode.OK);
        var listed = await ApiAssert.Json(await admin.GetAsync($"/api/users?q={Uri.EscapeDataString(email)}"), HttpStatusCode.OK);
        var updated = await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "Renamed", roles = new[] { "admin", "talent" } }), HttpStatusCode.OK);
        var deleted = await admin.DeleteAsync($"/api/users/{id}");
        var gone = await admin.GetAsync($"/api/users/{id}");
        using var anonymous = factory.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "a-long-enough-password" });

        Assert.Equal($"/api/users/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(email, fetched.GetProperty("email").GetString());
        Assert.Equal(id, listed.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal("Renamed", updated.GetProperty("name").GetString());
        Assert.Equal(2, updated.GetProperty("version").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ApiAssert.Problem(gone, HttpStatusCode.NotFound);
        await ApiAssert.Problem(login, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("password", (await created.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WeakPasswordBadRoleOrTakenEmail_IsRefused()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"dup.{Guid.NewGuid():N}@example.com";
        await ApiAssert.Json(await admin.PostAsJsonAsync("/api/users", new { email, name = "A", password = "a-long-enough-password", roles = new[] { "talent" } }), HttpStatusCode.Created);

        var weak = await admin.PostAsJsonAsync("/api/users", new { email = "w" + email, name = "W", password = "short", roles = new[] { "talent" } });
        var role = await admin.PostAsJsonAsync("/api/users", new { email = "r" + email, name = "R", password = "a-long-enough-password", roles = new[] { "superuser" } });
        var taken = await admin.PostAsJsonAsync("/api/users", new { email = email.ToUpperInvariant(), name = "B", password = "a-long-enough-password", roles = new[] { "talent" } });
        var unknownInterviewer = await admin.PostAsJsonAsync("/api/users", new { email = "i" + email, name = "I", password = "a-long-enough-password", roles = new[] { "interviewer" }, interviewerId = Guid.NewGuid().ToString("N") });

        await ApiAssert.Invalid(weak, "password");
        await ApiAssert.Invalid(role, "roles");
        Assert.Equal("email_taken", (await ApiAssert.Problem(taken, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        await ApiAssert.Invalid(unknownInterviewer, "interviewerId");
    }

    [Fact]
    public async Task Disable_RevokesSessionsAndBlocksSignIn()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"disable.{Guid.NewGuid():N}@example.com";
        var id = (await ApiAssert.Json(await admin.PostAsJsonAsync("/api/users", new { email, name = "D", password = "a-long-enough-password", roles = new[] { "talent" } }), HttpStatusCode.Created))
            .GetProperty("id").GetString();
        using var client = factory.CreateClient();
        var session = await ApiAssert.Json(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "a-long-enough-password" }), HttpStatusCode.OK);

        await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "D", roles = new[] { "talent" }, disabled = true }), HttpStatusCode.OK);

        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = session.GetProperty("refreshToken").GetString() }), HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "a-long-enough-password" }), HttpStatusCode.Unauthorized);
        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityType=user&entityId={id}"), HttpStatusCode.OK);
        Assert.Equal(["updated", "created"], audit.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.DoesNotContain("password", audit.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ResetPassword_LockedOutUser_SignsInWithTheNewPasswordOnly_OldSessionsRevoked()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"forgot.{Guid.NewGuid():N}@example.com";
        var id = (await ApiAssert.Json(await admin.PostAsJsonAsync("/api/users", new { email, name = "F", password = "the-old-password-of-f", roles = new[] { "talent" } }), HttpStatusCode.Created))
            .GetProperty("id").GetString();
        using var client = factory.CreateClient();
        var session = await ApiAssert.Json(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "the-old-password-of-f" }), HttpStatusCode.OK);
        var beforeTheFailures = DateTimeOffset.UtcNow;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "a-wrong-password" }), HttpStatusCode.Unauthorized);
        }
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "the-old-password-of-f" }), HttpStatusCode.Unauthorized);

        var reset = await admin.PostAsJsonAsync($"/api/users/{id}/reset-password", new { newPassword = "the-new-password-2030" });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = session.GetProperty("refreshToken").GetString() }), HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "the-old-password-of-f" }), HttpStatusCode.Unauthorized);
        await ApiAssert.Json(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "the-new-password-2030" }), HttpStatusCode.OK);
        var audit = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityType=user&entityId={id}&action=password_reset"), HttpStatusCode.OK);
        var entry = Assert.Single(audit.GetProperty("data").EnumerateArray());
        Assert.Equal("(hidden)", entry.GetProperty("changes").GetProperty("password").GetProperty("from").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("changes").GetProperty("lockedUntil").GetProperty("to").ValueKind);
        Assert.DoesNotContain("the-new-password-2030", audit.GetRawText(), StringComparison.Ordinal);
        // The lockout's entry is stamped when it happened, not with the profile's last change.
        var lockout = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityType=user&entityId={id}&action=locked_out"), HttpStatusCode.OK);
        Assert.True(Assert.Single(lockout.GetProperty("data").EnumerateArray()).GetProperty("timestamp").GetDateTimeOffset() >= beforeTheFailures);
    }

    [Fact]
    public async Task ResetPassword_WeakPasswordOrMissingUser_IsRefusedAndChangesNothing()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"weakreset.{Guid.NewGuid():N}@example.com";
        var id = (await ApiAssert.Json(await admin.PostAsJsonAsync("/api/users", new { email, name = "W", password = "the-old-password-of-f", roles = new[] { "talent" } }), HttpStatusCode.Created))
            .GetProperty("id").GetString();

        var weak = await ApiAssert.Problem(await admin.PostAsJsonAsync($"/api/users/{id}/reset-password", new { newPassword = "short" }), HttpStatusCode.BadRequest);
        await ApiAssert.Problem(await admin.PostAsJsonAsync($"/api/users/{Guid.NewGuid():N}/reset-password", new { newPassword = "the-new-password-2030" }), HttpStatusCode.NotFound);

        Assert.True(weak.GetProperty("errors").TryGetProperty("newPassword", out _));
        using var client = factory.CreateClient();
        await ApiAssert.Json(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "the-old-password-of-f" }), HttpStatusCode.OK);
        var user = await ApiAssert.Json(await admin.GetAsync($"/api/users/{id}"), HttpStatusCode.OK);
        Assert.Equal(1, user.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Update_WithoutDisabled_KeepsADisabledUserDisabled()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"stays.{Guid.NewGuid():N}@example.com";
        var id = (await ApiAssert.Json(await admin.PostAsJsonAsync("/api/users", new { email, name = "S", password = "a-long-enough-password", roles = new[] { "talent" } }), HttpStatusCode.Created))
            .GetProperty("id").GetString();
        await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "S", roles = new[] { "talent" }, disabled = true }), HttpStatusCode.OK);

        var renamed = await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/users/{id}", new { name = "Renamed", roles = new[] { "talent" } }), HttpStatusCode.OK);

        Assert.Equal("Renamed", renamed.GetProperty("name").GetString());
        Assert.True(renamed.GetProperty("disabled").GetBoolean());
        using var client = factory.CreateClient();
        await ApiAssert.Problem(await client.PostAsJsonAsync("/api/auth/login", new { email, password = "a-long-enough-password" }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UsersApi_IsForAdminsOnly_AndIgnoresServerOwnedFields()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var admin = await factory.ClientAs(Roles.Admin);

        await ApiAssert.Problem(await talent.GetAsync("/api/users"), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await talent.PostAsJsonAsync("/api/users", new { email = "x@example.com", name = "X", password = "a-long-enough-password", roles = new[] { "admin" } }), HttpStatusCode.Forbidden);
        var created = await ApiAssert.Json(await admin.PostAsJsonAsync("/api/users",
            new { id = "chosen", version = 7, disabled = true, email = $"m.{Guid.NewGuid():N}@example.com", name = "M", password = "a-long-enough-password", roles = new[] { "talent" } }), HttpStatusCode.Created);
        Assert.NotEqual("chosen", created.GetProperty("id").GetString());
        Assert.Equal(1, created.GetProperty("version").GetInt64());
        Assert.False(created.GetProperty("disabled").GetBoolean());
    }
}
