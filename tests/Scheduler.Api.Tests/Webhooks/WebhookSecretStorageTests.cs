using Microsoft.Data.Sqlite;
using Scheduler.Users;
using static Scheduler.Api.Tests.Webhooks.WebhooksApi;

namespace Scheduler.Api.Tests.Webhooks;

/// <summary>Signing secrets at rest: protected with the Data Protection key ring, and still verified by the StandardWebhooks package.</summary>
public sealed class WebhookSecretStorageTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    [Fact]
    public async Task CreatedAndRotatedSecrets_AreStoredProtected_AndTheirSignaturesStillVerify()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        var (webhookId, secret) = await Subscribe(admin, receiver);

        var (stored, _) = await StoredSecrets(webhookId);
        AssertHides(stored, secret);
        var rotated = await ApiAssert.Json(await admin.PostAsync($"/api/webhooks/{webhookId}/rotate-secret", null), HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        receiver.Secrets.Add(newSecret);
        var (current, previous) = await StoredSecrets(webhookId);
        AssertHides(current, newSecret);
        AssertHides(current, secret);
        Assert.Equal(stored, previous);

        await Ping(admin, webhookId);

        var received = Assert.Single(await receiver.WaitFor(r => r.Count >= 1, "the ping"));
        Assert.Equal(new[] { secret, newSecret }.Order(StringComparer.Ordinal), received.VerifiedBy.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RowFromBeforeSecretsWereProtected_StillSigns_AndItsRotationProtectsTheNewSecret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.ClientAs(Roles.Admin);
        var (webhookId, _) = await Subscribe(admin, receiver);
        receiver.Secrets.Clear();
        var plain = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await Execute("UPDATE webhooks SET secret = $secret WHERE id = $id", ("$secret", plain), ("$id", webhookId));
        receiver.Secrets.Add(plain);

        await Ping(admin, webhookId);
        Assert.Equal([plain], Assert.Single(await receiver.WaitFor(r => r.Count >= 1, "the ping")).VerifiedBy);

        var rotated = await ApiAssert.Json(await admin.PostAsync($"/api/webhooks/{webhookId}/rotate-secret", null), HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        receiver.Secrets.Add(newSecret);
        var (current, previous) = await StoredSecrets(webhookId);
        AssertHides(current, newSecret);
        Assert.Equal(plain, previous);
        await Ping(admin, webhookId);
        var second = (await receiver.WaitFor(r => r.Count >= 2, "the second ping"))[1];
        Assert.Equal(new[] { plain, newSecret }.Order(StringComparer.Ordinal), second.VerifiedBy.Order(StringComparer.Ordinal));
    }

    private static void AssertHides(string stored, string secret)
    {
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", stored, StringComparison.Ordinal);
    }

    private async Task<(string Secret, string? Previous)> StoredSecrets(string webhookId)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT secret, previous_secret FROM webhooks WHERE id = $id";
        select.Parameters.AddWithValue("$id", webhookId);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private async Task Execute(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
