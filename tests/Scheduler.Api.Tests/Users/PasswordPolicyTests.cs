using Scheduler.Users;

namespace Scheduler.Api.Tests.Users;

/// <summary>NIST SP 800-63B: length, no blank or control characters, nothing of the user's own, nothing common.</summary>
public sealed class PasswordPolicyTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    public static TheoryData<string, string> Refused => new()
    {
        { "eleven-char", "password_too_short" },
        { new string(' ', 12), "password_blank" },
        { new string('\0', 12), "password_control_characters" },
        { "tab\tseparated-words", "password_control_characters" },
        { "password1234", "password_too_common" },
        { "qwertyuiop12", "password_too_common" },
        { "aaaaaaaaaaaaaaaa", "password_too_common" },
        { "{email}", "password_contains_email" },
        { "my {EMAIL} forever", "password_contains_email" },
        { "i am grace hopper, ok", "password_contains_name" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Create_WeakPassword_Returns400WithTheRuleAndTheField(string password, string code)
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"grace.{Guid.NewGuid():N}@example.com";
        password = password.Replace("{email}", email, StringComparison.Ordinal).Replace("{EMAIL}", email.ToUpperInvariant(), StringComparison.Ordinal);

        var response = await admin.PostAsJsonAsync("/api/users", new { email, name = "Grace Hopper", password, roles = new[] { Roles.Talent } });

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("errors").GetProperty("password")[0].GetString()));
        var listed = await ApiAssert.Json(await admin.GetAsync($"/api/users?q={Uri.EscapeDataString(email)}"), HttpStatusCode.OK);
        Assert.Equal(0, listed.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Create_StrongPassphrase_IsAccepted()
    {
        var admin = await factory.ClientAs(Roles.Admin);

        var response = await admin.PostAsJsonAsync("/api/users",
            new { email = $"ok.{Guid.NewGuid():N}@example.com", name = "Grace Hopper", password = "nanoseconds of wire on my desk", roles = new[] { Roles.Talent } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_ToOneWithTheOwnName_Returns400AndKeepsTheOldPassword()
    {
        var email = $"ada.{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery staple";
        await factory.RegisterUser(email, "Ada Lovelace", password, Roles.Talent);
        using var client = factory.CreateClient();
        client.UseTokens(await client.SignIn(email, password));

        var response = await client.PostAsJsonAsync("/api/auth/change-password", new { currentPassword = password, newPassword = "ada lovelace rules 1815" });

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Equal("password_contains_name", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("newPassword", out _));
        await client.SignIn(email, password);
    }

    [Fact]
    public async Task ResetPassword_Common_Returns400WithTheCode()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var user = await factory.RegisterUser($"reset.{Guid.NewGuid():N}@example.com", "Reset Me", "correct horse battery staple", Roles.Talent);

        var response = await admin.PostAsJsonAsync($"/api/users/{user.Id}/reset-password", new { newPassword = "password1234" });

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Equal("password_too_common", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("newPassword", out _));
    }
}
