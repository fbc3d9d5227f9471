using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scheduler.Testing;

/// <summary>Signing in to the API from a test: a user's tokens, and a client that sends them.</summary>
public static class ApiSignIn
{
    /// <summary>
    /// <c>POST /api/auth/login</c>: the tokens (<c>accessToken</c>, <c>refreshToken</c>, ...); anything but 200 throws,
    /// naming the answer.
    /// </summary>
    public static async Task<JsonElement> SignIn(this HttpClient client, string email, string password)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"Signing in as {email} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Sends <paramref name="accessToken"/> as the bearer token of every request of the client.</summary>
    public static void UseBearer(this HttpClient client, string? accessToken) =>
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

    /// <summary>Sends the access token of a sign-in or refresh answer with every request of the client.</summary>
    public static void UseTokens(this HttpClient client, JsonElement tokens) => client.UseBearer(tokens.GetProperty("accessToken").GetString());
}
