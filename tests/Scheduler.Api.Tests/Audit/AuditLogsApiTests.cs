using Scheduler.Users;

namespace Scheduler.Api.Tests.Audit;

public sealed class AuditLogsApiTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task InterviewerLifecycle_ProducesOneEntryPerChange_WithActorAndChanges()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"audited.{Guid.NewGuid():N}@example.com";
        var created = await ApiAssert.Json(await admin.PostAsJsonAsync("/api/interviewers", new { name = "Audited", email }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        await ApiAssert.Json(await admin.PutAsJsonAsync($"/api/interviewers/{id}", new { name = "Audited Twice", email }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/interviewers/{id}")).StatusCode);

        var body = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityType=interviewer&entityId={id}"), HttpStatusCode.OK);

        var entries = body.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["deleted", "updated", "created"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(SchedulerApiFactory.AdminEmail, e.GetProperty("actor").GetString()));
        Assert.All(entries, e => Assert.Equal(id, e.GetProperty("entityId").GetString()));
        var update = entries[1].GetProperty("changes");
        Assert.Equal("Audited", update.GetProperty("name").GetProperty("from").GetString());
        Assert.Equal("Audited Twice", update.GetProperty("name").GetProperty("to").GetString());
        Assert.Equal(JsonValueKind.Null, entries[2].GetProperty("changes").GetProperty("email").GetProperty("from").ValueKind);
        Assert.Equal(3, body.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task RejectedRequests_ProduceNoEntries()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"once.{Guid.NewGuid():N}@example.com";
        var id = (await ApiAssert.Json(await admin.PostAsJsonAsync("/api/interviewers", new { name = "Once", email }), HttpStatusCode.Created)).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/interviewers", new { name = "Twice", email })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/interviewers/{id}", new { name = "", email })).StatusCode);

        var body = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={id}"), HttpStatusCode.OK);
        Assert.Equal(1, body.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Filters_ByActorActionAndTime()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var admin = await factory.ClientAs(Roles.Admin);
        var before = DateTime.UtcNow.AddSeconds(-1).ToString("O");
        var id = (await ApiAssert.Json(await talent.PostAsJsonAsync("/api/interviewers", new { name = "Filtered", email = $"f.{Guid.NewGuid():N}@example.com" }), HttpStatusCode.Created))
            .GetProperty("id").GetString();

        var me = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={id}&action=created&from={Uri.EscapeDataString(before)}"), HttpStatusCode.OK);
        var wrongAction = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={id}&action=deleted"), HttpStatusCode.OK);
        var future = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={id}&from=2099-01-01T00:00:00Z"), HttpStatusCode.OK);
        var actor = me.GetProperty("data")[0].GetProperty("actor").GetString();
        var byActor = await ApiAssert.Json(await admin.GetAsync($"/api/audit-logs?entityId={id}&actor={Uri.EscapeDataString(actor!)}"), HttpStatusCode.OK);

        Assert.Equal(1, me.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.StartsWith("talent.", actor);
        Assert.Equal(0, wrongAction.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(0, future.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(1, byActor.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("entityType=events", "entityType")]
    [InlineData("entityType=Interviewer", "entityType")]
    [InlineData("action=create", "action")]
    public async Task Search_UnknownEntityTypeOrAction_ReturnsBadRequestListingTheValues(string filter, string field)
    {
        var admin = await factory.ClientAs(Roles.Admin);

        var problem = await ApiAssert.Problem(await admin.GetAsync($"/api/audit-logs?{filter}"), HttpStatusCode.BadRequest);

        var message = Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString();
        Assert.Contains(field == "action" ? "password_changed" : "interviewer, event, user", message);
    }

    [Fact]
    public async Task AuditLogs_AreForAdminsOnly()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        using var anonymous = factory.CreateClient();

        await ApiAssert.Problem(await talent.GetAsync("/api/audit-logs"), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await anonymous.GetAsync("/api/audit-logs"), HttpStatusCode.Unauthorized);
    }
}
