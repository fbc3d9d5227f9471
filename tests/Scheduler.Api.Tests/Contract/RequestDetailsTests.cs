using System.Net.Http.Headers;
using System.Text;
using Scheduler.Api.Tests.Events;
using Scheduler.Users;
using static Scheduler.Api.Tests.Events.EventsApi;

namespace Scheduler.Api.Tests.Contract;

/// <summary>How requests are read where the document promises more than .NET's defaults: RFC 3339 times, JSON members, If-Match.</summary>
[Collection(EventsApiCollection.Name)]
public sealed class RequestDetailsTests(SchedulerApiFactory factory)
{
    [Fact]
    public async Task Schedule_Rfc3339WithNineFractionDigitsAndLowercaseTz_IsAccepted()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewer = await NewInterviewer(client);
        var day = Monday.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var booked = await client.PostAsJsonAsync("/api/events", new
        {
            interviewerId = interviewer,
            title = "Nanoseconds",
            candidateName = "Java Client",
            candidateEmail = "java@example.com",
            startsAt = $"{day}T09:00:00.123456789Z",
            endsAt = $"{day}t10:00:00.000000000z",
        });
        var slots = await client.GetAsync($"/api/interviewers/{interviewer}/availability?from={day}t00:00:00.999999999z&to={day}T23:00:00.12345678%2B00:00&durationMinutes=30");

        var created = await ApiAssert.Json(booked, HttpStatusCode.Created);
        Assert.Equal($"{day}T09:00:00.1234567Z", created.GetProperty("startsAt").GetString());
        Assert.Equal($"{day}T10:00:00Z", created.GetProperty("endsAt").GetString());
        await ApiAssert.Json(slots, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Create_BodyWithADuplicateMember_Returns400NamingIt_AndCreatesNothing()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var first = $"dup.{Guid.NewGuid():N}@example.com";
        var second = $"dup.{Guid.NewGuid():N}@example.com";
        using var body = new StringContent($$"""{"name":"Twice","email":"{{first}}","email":"{{second}}"}""", Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/interviewers", body);

        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest);
        Assert.Equal("'email' is given more than once.", Assert.Single(problem.GetProperty("errors").GetProperty("email").EnumerateArray()).GetString());
        var found = await ApiAssert.Json(await client.GetAsync($"/api/interviewers?q={Uri.EscapeDataString(second)}"), HttpStatusCode.OK);
        Assert.Equal(0, found.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Update_IfMatchListMatchesWhenAnyTagDoes_StarMatchesAnyVersion_AndMalformedIs400()
    {
        var client = await factory.ClientAs(Roles.Talent);
        var id = await NewInterviewer(client);
        var email = (await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{id}"), HttpStatusCode.OK)).GetProperty("email").GetString();
        Task<HttpResponseMessage> Put(string name, string ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"/api/interviewers/{id}") { Content = JsonContent.Create(new { name, email, timezone = "UTC" }) };
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return client.SendAsync(request);
        }

        var list = await Put("Listed", "\"999\", \"1\"");
        var listWithoutCurrent = await Put("Stale", "\"1\", \"7\"");
        var star = await Put("Starred", "*");
        var weak = await Put("Weak", "W/\"3\"");
        var malformed = await Put("Malformed", "3");

        Assert.Equal("\"2\"", (await ApiAssert.Json(list, HttpStatusCode.OK)).GetProperty("version").GetInt64() is 2 ? list.Headers.ETag?.Tag : null);
        await ApiAssert.Problem(listWithoutCurrent, HttpStatusCode.PreconditionFailed);
        Assert.Equal(new EntityTagHeaderValue("\"3\""), star.Headers.ETag);
        await ApiAssert.Problem(weak, HttpStatusCode.PreconditionFailed);
        var problem = await ApiAssert.Problem(malformed, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("If-Match", out _), problem.ToString());
        var current = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{id}"), HttpStatusCode.OK);
        Assert.Equal("Starred", current.GetProperty("name").GetString());
    }

    [Fact]
    public async Task List_RequestTargetOverTheLimit_Returns414AsProblemJson()
    {
        var client = await factory.ClientAs(Roles.Talent);

        var response = await client.GetAsync("/api/interviewers?q=" + new string('a', 9000));
        var withinLimit = await client.GetAsync("/api/interviewers?q=" + new string('a', 200));

        var problem = await ApiAssert.Problem(response, HttpStatusCode.RequestUriTooLong);
        Assert.Equal("uri_too_long", problem.GetProperty("code").GetString());
        await ApiAssert.Json(withinLimit, HttpStatusCode.OK);
    }
}
