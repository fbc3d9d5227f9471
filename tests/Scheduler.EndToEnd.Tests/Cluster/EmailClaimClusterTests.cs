using Npgsql;

namespace Scheduler.EndToEnd.Tests.Cluster;

/// <summary>Three real silo processes on one PostgreSQL database race for one email through the HTTP API.</summary>
public sealed class EmailClaimClusterTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    [Fact]
    public async Task Create_FiftyConcurrentWithOneEmailOnThreeSilos_OneCreatedAndFortyNineEmailTaken()
    {
        await using var first = cluster.StartSilo();
        await first.WaitUntilHealthy(); // creates the schema and the admin before the others start
        await using var second = cluster.StartSilo();
        await using var third = cluster.StartSilo();
        await Task.WhenAll(second.WaitUntilHealthy(), third.WaitUntilHealthy());
        var clients = await Task.WhenAll(new[] { first, second, third }.Select(s => s.AdminClient()));
        try
        {
            await RaceForOneEmail(clients);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private async Task RaceForOneEmail(HttpClient[] clients)
    {
        var email = $"contested.{Guid.NewGuid():N}@example.com";

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async n =>
        {
            using var response = await clients[n % 3].PostAsJsonAsync("/api/interviewers",
                new { name = $"Contender {n}", email = n % 2 == 0 ? email : email.ToUpperInvariant(), skills = new[] { "claims" } });
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, Body: await response.Content.ReadAsStringAsync());
        })).WaitAsync(TimeSpan.FromSeconds(60));

        var created = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Created).ToArray();
        Assert.Equal(49, refused.Length);
        Assert.All(refused, answer =>
        {
            Assert.True(answer.StatusCode == HttpStatusCode.Conflict, $"{(int)answer.StatusCode}: {answer.Body}");
            Assert.Equal("application/problem+json", answer.MediaType);
            Assert.Equal("email_taken", JsonDocument.Parse(answer.Body).RootElement.GetProperty("code").GetString());
        });
        var winner = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;

        // In the database: the winner's claim, its read-model row, and nothing of the 49 refused creates (this
        // cluster's database holds no other interviewer).
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal([winner], await Strings(connection, "SELECT owner_id FROM email_claims WHERE kind = 'interviewer' AND email_norm = @email", email));
        Assert.Equal([winner], await Strings(connection, "SELECT id FROM interviewers WHERE email_norm = @email", email));
        Assert.Equal([winner], await Strings(connection, "SELECT owner_id FROM email_claims WHERE kind = 'interviewer'"));
        Assert.Equal([winner], await Strings(connection, "SELECT entity_id FROM audit_logs WHERE entity_type = 'interviewer'"));
        Assert.Equal(["1"], await Strings(connection, "SELECT count(*)::text FROM OrleansStorage WHERE GrainTypeString = 'interviewer'"));
    }

    private static async Task<List<string>> Strings(NpgsqlConnection connection, string sql, string? email = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (email is not null)
        {
            command.Parameters.AddWithValue("email", email);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }
}
