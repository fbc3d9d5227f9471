using System.Net.Http.Headers;
using System.Text;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Interviewers;

public sealed class InterviewersApiTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private static object NewInterviewer(string? email = null, string name = "Grace Hopper", string[]? skills = null, string? status = null, string? timezone = "America/New_York") =>
        new { name, email = email ?? $"grace.{Guid.NewGuid():N}@example.com", skills = skills ?? ["cobol", "compilers"], status, timezone };

    private async Task<JsonElement> Create(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/interviewers", body);
        return await ApiAssert.Json(response, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Create_ValidBody_Returns201WithLocationETagAndResource()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var email = $"Grace.{Guid.NewGuid():N}@Example.com";

        var response = await client.PostAsJsonAsync("/api/interviewers", new { name = "  Grace Hopper ", email, skills = new[] { "cobol" }, timezone = "Europe/Berlin" });

        var body = await ApiAssert.Json(response, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/interviewers/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("Grace Hopper", body.GetProperty("name").GetString());
        Assert.Equal(email, body.GetProperty("email").GetString());
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal("Europe/Berlin", body.GetProperty("timezone").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt64());
        Assert.EndsWith("Z", body.GetProperty("createdAt").GetString());
        Assert.Equal(body.GetProperty("createdAt").GetString(), body.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task Create_WithoutTimezone_DefaultsToUtc()
    {
        var client = await factory.ClientAs(Roles.Talent);

        var body = await Create(client, new { name = "Utc Person", email = $"utc.{Guid.NewGuid():N}@example.com" });

        Assert.Equal("UTC", body.GetProperty("timezone").GetString());
        Assert.Equal(0, body.GetProperty("skills").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"email":"a@example.com"}""", "name")]
    [InlineData("""{"name":"","email":"a@example.com"}""", "name")]
    [InlineData("""{"name":"X","email":"not-an-email"}""", "email")]
    [InlineData("""{"name":"X","email":"a@example.com","status":"retired"}""", "status")]
    [InlineData("""{"name":"X","email":"a@example.com","timezone":"Mars/Olympus"}""", "timezone")]
    [InlineData("""{"name":"X","email":"a@example.com","timezone":"europe/berlin"}""", "timezone")]
    [InlineData("""{"name":"a\u0000b","email":"a@example.com"}""", "name")]
    [InlineData("""{"name":"X","email":"a@example.com","skills":[""]}""", "skills")]
    public async Task Create_InvalidField_Returns400WithFieldError(string json, string field)
    {
        var client = await factory.ClientAs(Roles.Talent);

        var response = await client.PostAsync("/api/interviewers", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Create_OversizeFields_Returns400()
    {
        var client = await factory.ClientAs(Roles.Talent);

        var longName = await client.PostAsJsonAsync("/api/interviewers", NewInterviewer(name: new string('n', 201)));
        var tooManySkills = await client.PostAsJsonAsync("/api/interviewers", NewInterviewer(skills: [.. Enumerable.Range(0, 51).Select(i => $"s{i}")]));
        var longSkill = await client.PostAsJsonAsync("/api/interviewers", NewInterviewer(skills: [new string('s', 51)]));

        await ApiAssert.Invalid(longName, "name");
        await ApiAssert.Invalid(tooManySkills, "skills");
        await ApiAssert.Invalid(longSkill, "skills");
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400Problem()
    {
        var client = await factory.ClientAs(Roles.Talent);

        var response = await client.PostAsync("/api/interviewers", new StringContent("{\"name\": \"x\",", Encoding.UTF8, "application/json"));

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        // The text is broken, not a member: no field to blame.
        Assert.False(problem.TryGetProperty("errors", out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("\"skills\": \"java\"", "skills")]
    [InlineData("\"workingHours\": {\"monday\": [{\"start\": 9, \"end\": \"17:00\"}]}", "workingHours.monday")]
    [InlineData("\"maxInterviewsPerDay\": 1.5", "maxInterviewsPerDay")]
    public async Task Create_MemberOfTheWrongType_Returns400NamingIt(string member, string field)
    {
        var client = await factory.ClientAs(Roles.Talent);

        var response = await client.PostAsync("/api/interviewers",
            new StringContent($"{{\"name\": \"x\", \"email\": \"x@example.com\", {member}}}", Encoding.UTF8, "application/json"));

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal($"'{field}' has the wrong type or format.", problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Create_DuplicateEmailInOtherCase_Returns409()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var email = $"dup.{Guid.NewGuid():N}@example.com";
        await Create(client, NewInterviewer(email));

        var response = await client.PostAsJsonAsync("/api/interviewers", NewInterviewer(email.ToUpperInvariant()));

        var problem = await ApiAssert.Problem(response, HttpStatusCode.Conflict);
        Assert.Equal("email_taken", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Create_IgnoresServerOwnedFieldsInBody()
    {
        var client = await factory.ClientAs(Roles.Talent);

        var body = await Create(client, new { id = "chosen-id", version = 99, createdAt = "2000-01-01T00:00:00Z", name = "Mass Assign", email = $"ma.{Guid.NewGuid():N}@example.com" });

        Assert.NotEqual("chosen-id", body.GetProperty("id").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt64());
        Assert.NotEqual("2000-01-01T00:00:00Z", body.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task Get_Existing_Returns200WithETag_AndUnknownReturns404()
    {
        var client = await factory.ClientAs(Roles.Interviewer);
        var talent = await factory.ClientAs(Roles.Talent);
        var id = (await Create(talent, NewInterviewer())).GetProperty("id").GetString();

        var found = await client.GetAsync($"/api/interviewers/{id}");
        var missing = await client.GetAsync($"/api/interviewers/{Guid.NewGuid():N}");
        var malformed = await client.GetAsync("/api/interviewers/not%20an%20id");

        var body = await ApiAssert.Json(found, HttpStatusCode.OK);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("\"1\"", found.Headers.ETag?.Tag);
        await ApiAssert.Problem(missing, HttpStatusCode.NotFound);
        await ApiAssert.Problem(malformed, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Update_FullReplacement_Returns200AndBumpsVersion()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var created = await Create(client, NewInterviewer(skills: ["a", "b"]));
        var id = created.GetProperty("id").GetString();
        var email = created.GetProperty("email").GetString();

        var response = await client.PutAsJsonAsync($"/api/interviewers/{id}", new { name = "Renamed", email, skills = new[] { "rust" }, status = "inactive", timezone = "Asia/Tokyo" });

        var body = await ApiAssert.Json(response, HttpStatusCode.OK);
        Assert.Equal("Renamed", body.GetProperty("name").GetString());
        Assert.Equal("inactive", body.GetProperty("status").GetString());
        Assert.Equal(["rust"], body.GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2, body.GetProperty("version").GetInt64());
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var fetched = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{id}"), HttpStatusCode.OK);
        Assert.Equal("Asia/Tokyo", fetched.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task Update_WithCurrentIfMatch_Succeeds_AndStaleIfMatchReturns412()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var created = await Create(client, NewInterviewer());
        var id = created.GetProperty("id").GetString();
        var email = created.GetProperty("email").GetString();

        using var fresh = new HttpRequestMessage(HttpMethod.Put, $"/api/interviewers/{id}") { Content = JsonContent.Create(new { name = "V2", email }) };
        fresh.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var ok = await client.SendAsync(fresh);
        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/interviewers/{id}") { Content = JsonContent.Create(new { name = "V3", email }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var conflict = await client.SendAsync(stale);
        using var padded = new HttpRequestMessage(HttpMethod.Put, $"/api/interviewers/{id}") { Content = JsonContent.Create(new { name = "V3", email }) };
        padded.Headers.IfMatch.Add(new EntityTagHeaderValue("\"02\"")); // not the tag "2" that was issued
        var notExact = await client.SendAsync(padded);

        await ApiAssert.Json(ok, HttpStatusCode.OK);
        await ApiAssert.Problem(conflict, HttpStatusCode.PreconditionFailed);
        await ApiAssert.Problem(notExact, HttpStatusCode.PreconditionFailed);
        var current = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{id}"), HttpStatusCode.OK);
        Assert.Equal("V2", current.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_ToEmailOfAnother_Returns409_AndUnknownIdReturns404()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var first = await Create(client, NewInterviewer());
        var second = await Create(client, NewInterviewer());

        var firstBefore = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{first.GetProperty("id").GetString()}"), HttpStatusCode.OK);
        var secondBefore = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{second.GetProperty("id").GetString()}"), HttpStatusCode.OK);

        var duplicate = await client.PutAsJsonAsync($"/api/interviewers/{second.GetProperty("id").GetString()}",
            new { name = "X", email = first.GetProperty("email").GetString()!.ToUpperInvariant() });
        var missing = await client.PutAsJsonAsync($"/api/interviewers/{Guid.NewGuid():N}", new { name = "X", email = "x@example.com" });

        Assert.Equal("email_taken", (await ApiAssert.Problem(duplicate, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        await ApiAssert.Problem(missing, HttpStatusCode.NotFound);
        // Neither interviewer changed: the owner keeps its email, the refused one its name and email.
        var firstAfter = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{first.GetProperty("id").GetString()}"), HttpStatusCode.OK);
        var secondAfter = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{second.GetProperty("id").GetString()}"), HttpStatusCode.OK);
        Assert.Equal(firstBefore.ToString(), firstAfter.ToString());
        Assert.Equal(secondBefore.ToString(), secondAfter.ToString());
    }

    [Fact]
    public async Task Delete_AsAdmin_Returns204_ThenGone_AndEmailFree()
    {
        var admin = await factory.ClientAs(Roles.Admin);
        var email = $"del.{Guid.NewGuid():N}@example.com";
        var id = (await Create(admin, NewInterviewer(email, skills: ["deleted-skill-" + Guid.NewGuid().ToString("N")[..6]]))).GetProperty("id").GetString();

        var deleted = await admin.DeleteAsync($"/api/interviewers/{id}");
        var again = await admin.DeleteAsync($"/api/interviewers/{id}");
        var get = await admin.GetAsync($"/api/interviewers/{id}");
        var list = await ApiAssert.Json(await admin.GetAsync($"/api/interviewers?q={Uri.EscapeDataString(email)}"), HttpStatusCode.OK);
        var recreate = await admin.PostAsJsonAsync("/api/interviewers", NewInterviewer(email));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ApiAssert.Problem(again, HttpStatusCode.NotFound);
        await ApiAssert.Problem(get, HttpStatusCode.NotFound);
        Assert.Equal(0, list.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.Created, recreate.StatusCode);
    }

    [Fact]
    public async Task Roles_TalentCannotDelete_InterviewerCannotWrite_AnonymousGets401()
    {
        var talent = await factory.ClientAs(Roles.Talent);
        var interviewer = await factory.ClientAs(Roles.Interviewer);
        using var anonymous = factory.CreateClient();
        var id = (await Create(talent, NewInterviewer())).GetProperty("id").GetString();

        await ApiAssert.Problem(await talent.DeleteAsync($"/api/interviewers/{id}"), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await interviewer.PostAsJsonAsync("/api/interviewers", NewInterviewer()), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await interviewer.PutAsJsonAsync($"/api/interviewers/{id}", NewInterviewer()), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await anonymous.GetAsync("/api/interviewers"), HttpStatusCode.Unauthorized);
        await ApiAssert.Problem(await anonymous.PostAsJsonAsync("/api/interviewers", NewInterviewer()), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await interviewer.GetAsync($"/api/interviewers/{id}")).StatusCode);
    }
}
