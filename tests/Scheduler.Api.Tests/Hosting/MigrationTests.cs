using Scheduler.Silo.Hosting;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Hosting;

public sealed class MigrationTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scheduler-migrate-" + Guid.NewGuid().ToString("N"));
    private PostgreSqlTestDatabase _target = null!;

    public async Task InitializeAsync() => _target = await PostgreSqlTestDatabase.CreateAsync();

    [Fact]
    public async Task Migrate_SqliteStoreIntoPostgreSql_ServesTheSameInterviewersEventsAuditAndUsers()
    {
        string interviewerId, eventId, email = $"migrated.{Guid.NewGuid():N}@example.com";
        var start = DateTimeOffset.UtcNow.Date.AddDays(10).AddHours(9);
        await using (var before = new SchedulerApiFactory(_directory))
        {
            await ((IAsyncLifetime)before).InitializeAsync();
            var client = await before.ClientAs(Roles.Admin);
            var created = await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", new { name = "Migrated", email, skills = new[] { "postgres" } }), HttpStatusCode.Created);
            interviewerId = created.GetProperty("id").GetString()!;
            var booked = await ApiAssert.Json(await client.PostAsJsonAsync("/api/events", new
            {
                interviewerId,
                title = "Moved",
                candidateName = "C",
                candidateEmail = "c@example.com",
                startsAt = new DateTimeOffset(start, TimeSpan.Zero),
                endsAt = new DateTimeOffset(start.AddHours(1), TimeSpan.Zero),
            }), HttpStatusCode.Created);
            eventId = booked.GetProperty("id").GetString()!;
        }

        using var report = new StringWriter();
        var exit = MigrateCommand.Run($"Data Source={Path.Combine(_directory, "scheduler.db")}", _target.ConnectionString, report);

        Assert.True(exit == 0, report.ToString());
        Assert.Contains("OrleansStorage", report.ToString(), StringComparison.Ordinal);
        using var secondReport = new StringWriter();
        Assert.Equal(2, MigrateCommand.Run($"Data Source={Path.Combine(_directory, "scheduler.db")}", _target.ConnectionString, secondReport));
        Assert.Contains("not empty", secondReport.ToString(), StringComparison.Ordinal);
        await using var after = new PostgreSqlApiFactory { ConnectionString = _target.ConnectionString };
        await after.InitializeAsync();
        var again = await after.ClientAs(Roles.Admin); // the admin user, its password hash and its email index came along

        var interviewer = await ApiAssert.Json(await again.GetAsync($"/api/interviewers/{interviewerId}"), HttpStatusCode.OK);
        var listed = await ApiAssert.Json(await again.GetAsync($"/api/interviewers?skill=postgres"), HttpStatusCode.OK);
        var interview = await ApiAssert.Json(await again.GetAsync($"/api/events/{eventId}"), HttpStatusCode.OK);
        var audit = await ApiAssert.Json(await again.GetAsync($"/api/audit-logs?entityId={interviewerId}"), HttpStatusCode.OK);
        var clash = await again.PostAsJsonAsync("/api/events", new
        {
            interviewerId,
            title = "Clash",
            candidateName = "D",
            candidateEmail = "d@example.com",
            startsAt = new DateTimeOffset(start.AddMinutes(30), TimeSpan.Zero),
            endsAt = new DateTimeOffset(start.AddHours(2), TimeSpan.Zero),
        });
        var duplicate = await again.PostAsJsonAsync("/api/interviewers", new { name = "Copy", email });

        Assert.Equal("Migrated", interviewer.GetProperty("name").GetString());
        Assert.Equal(interviewerId, Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("scheduled", interview.GetProperty("status").GetString());
        Assert.Equal(1, audit.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode); // the calendar came along too
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
