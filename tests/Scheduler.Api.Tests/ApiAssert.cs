namespace Scheduler.Api.Tests;

internal static class ApiAssert
{
    /// <summary>Asserts the status and the problem+json shape (RFC 9457 plus error/message/statusCode); returns the body.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Equal((int)status, body.GetProperty("statusCode").GetInt32());
        Assert.Equal(body.GetProperty("title").GetString(), body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("traceId").GetString()));
        Assert.True(body.TryGetProperty("type", out _));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return body;
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>A 400 problem whose <c>errors</c> name exactly <paramref name="fields"/>: the caller learns what to fix.</summary>
    public static async Task<JsonElement> Invalid(HttpResponseMessage response, params string[] fields)
    {
        var body = await Problem(response, HttpStatusCode.BadRequest);
        Assert.True(body.TryGetProperty("errors", out var errors), $"no errors in {body}");
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        return body;
    }
}
