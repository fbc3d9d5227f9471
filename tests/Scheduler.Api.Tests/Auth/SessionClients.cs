namespace Scheduler.Api.Tests.Auth;

/// <summary>Users and signed-in clients for the session tests.</summary>
internal static class SessionClients
{
    public const string Password = "a-long-enough-password";

    public static async Task<(string Id, string Email)> NewUser(HttpClient admin, string role)
    {
        var email = $"stamp.{Guid.NewGuid():N}@example.com";
        var created = await ApiAssert.Json(await admin.PostAsJsonAsync("/api/users", new { email, name = "U", password = Password, roles = new[] { role } }), HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, email);
    }

    /// <summary>A client signed in as the user (its access token in every request), and the tokens it got.</summary>
    public static async Task<(HttpClient Client, JsonElement Tokens)> SignIn(SchedulerApiFactory factory, string email)
    {
        var client = factory.CreateClient();
        var tokens = await client.SignIn(email, Password);
        client.UseTokens(tokens);
        return (client, tokens);
    }

    public static async Task<JsonElement> Refresh(HttpClient client, JsonElement tokens) => await ApiAssert.Json(
        await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() }), HttpStatusCode.OK);
}
