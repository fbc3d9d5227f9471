using Microsoft.Data.Sqlite;
using Scheduler.Api.Tests.Events;
using Scheduler.Users;
using static Scheduler.Api.Tests.Notifications.EmailAssert;

namespace Scheduler.Api.Tests.Notifications;

[Collection(EmailCollection.Name)]
public sealed class UnreadableEventTests(EmailFactory factory)
{
    [Fact]
    public async Task Outbox_WithAnEventWhoseDataCannotBeRead_PassesItOver_AndDeliversTheEventsBehindIt()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var poison = $"poison{Guid.NewGuid():N}";
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO domain_events (entity_type, entity_id, entity_version, action, at, changes, data)
                VALUES ('event', $id, 1, 'scheduled', '2030-01-01T00:00:00.0000000Z', '{}', 'not json')
                """;
            insert.Parameters.AddWithValue("$id", poison);
            await insert.ExecuteNonQueryAsync();
        }

        var interviewerId = await EventsApi.NewInterviewer(client);
        var eventId = await EventsApi.Book(client, EventsApi.Booking(interviewerId, EventsApi.Monday.AddDays(4).AddHours(10)));

        Assert.Equal(2, (await factory.Smtp.WaitFor(About(eventId), found => found.Count >= 2)).Count);
        await using var check = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await check.OpenAsync();
        await using var dispatched = check.CreateCommand();
        dispatched.CommandText = "SELECT dispatched FROM domain_events WHERE entity_id = $id";
        dispatched.Parameters.AddWithValue("$id", poison);
        Assert.Equal(1L, await dispatched.ExecuteScalarAsync());
    }
}
