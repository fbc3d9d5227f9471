using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Api.Authorization;
using Scheduler.Users;
using static Scheduler.Testing.TestTime;

namespace Scheduler.Api.Tests.Security;

/// <summary>An interviewer-role user sees and edits only what is its own (OWASP API1, broken object-level authorization).</summary>
public sealed class ObjectAccessTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private static readonly DateTime Day = DateTime.UtcNow.Date.AddDays(9);

    private async Task<(HttpClient Staff, HttpClient Own, string A, string B, string EventA, string EventB)> Arrange()
    {
        var staff = await factory.ClientAs(Roles.Talent);
        async Task<string> NewInterviewer(string name) => (await ApiAssert.Json(await staff.PostAsJsonAsync("/api/interviewers",
            new { name, email = $"{name}.{Guid.NewGuid():N}@example.com", skills = new[] { "go" } }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        async Task<string> Book(string interviewer, int hour) => (await ApiAssert.Json(await staff.PostAsJsonAsync("/api/events", new
        {
            interviewerId = interviewer,
            title = "Interview",
            candidateName = "C",
            candidateEmail = "c@example.com",
            startsAt = Iso(Day.AddHours(hour)),
            endsAt = Iso(Day.AddHours(hour + 1)),
        }), HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var a = await NewInterviewer("alice");
        var b = await NewInterviewer("bob");
        var own = await factory.ClientAs(Roles.Interviewer, interviewerId: a);
        return (staff, own, a, b, await Book(a, 9), await Book(b, 10));
    }

    [Fact]
    public async Task Interviewer_SeesOnlyItsOwnInterviews()
    {
        var (_, own, a, b, eventA, eventB) = await Arrange();

        var list = await ApiAssert.Json(await own.GetAsync("/api/events?limit=100"), HttpStatusCode.OK);
        var mine = await own.GetAsync($"/api/events/{eventA}");
        var theirs = await own.GetAsync($"/api/events/{eventB}");
        var filterOther = await own.GetAsync($"/api/events?interviewerId={b}");

        Assert.All(list.GetProperty("data").EnumerateArray(), e => Assert.Equal(a, e.GetProperty("interviewerId").GetString()));
        Assert.Contains(list.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == eventA);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        await ApiAssert.Problem(theirs, HttpStatusCode.NotFound);
        await ApiAssert.Problem(filterOther, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Interviewer_EditsOwnWorkingSettings_ButNotNameStatusEmailOrOthers()
    {
        var (staff, own, a, b, _, _) = await Arrange();
        var current = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{a}"), HttpStatusCode.OK);
        var email = current.GetProperty("email").GetString();
        var name = current.GetProperty("name").GetString();

        // Its own interviews (arranged above) stay as booked under the new hours: that is the interviewer's call too.
        var hours = await own.PutAsJsonAsync($"/api/interviewers/{a}?keepBookings=true", new
        {
            name,
            email,
            skills = new[] { "go", "rust" },
            timezone = "Europe/Berlin",
            bufferMinutes = 10,
            workingHours = new Dictionary<string, object[]> { ["monday"] = [new { start = "09:00", end = "17:00" }] },
        });
        var status = await own.PutAsJsonAsync($"/api/interviewers/{a}", new { name, email, status = "inactive" });
        var newEmail = await own.PutAsJsonAsync($"/api/interviewers/{a}", new { name, email = "other@example.com" });
        var newName = await own.PutAsJsonAsync($"/api/interviewers/{a}", new { name = "Alicia", email });
        var other = await own.PutAsJsonAsync($"/api/interviewers/{b}", new { name = "Bob", email = "bob@example.com" });

        var updated = await ApiAssert.Json(hours, HttpStatusCode.OK);
        Assert.Equal(10, updated.GetProperty("bufferMinutes").GetInt32());
        await ApiAssert.Problem(status, HttpStatusCode.Forbidden);
        await ApiAssert.Problem(newEmail, HttpStatusCode.Forbidden);
        await ApiAssert.Problem(newName, HttpStatusCode.Forbidden);
        await ApiAssert.Problem(other, HttpStatusCode.Forbidden);
        var after = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{a}"), HttpStatusCode.OK);
        Assert.Equal("active", after.GetProperty("status").GetString());
    }

    /// <summary>
    /// What the interviewer role gets on each route it may call, for another interviewer's object and for its own.
    /// Every such route of the endpoint inventory must be here (the test fails on a new one until it is added).
    /// </summary>
    private static readonly Dictionary<string, (HttpStatusCode Other, HttpStatusCode Own)> InterviewerRoutes = new()
    {
        ["GET /api/availability"] = (HttpStatusCode.OK, HttpStatusCode.OK),                   // free slots, like each interviewer's
        ["POST /api/availability/panel"] = (HttpStatusCode.OK, HttpStatusCode.OK),
        ["GET /api/events"] = (HttpStatusCode.Forbidden, HttpStatusCode.OK),                  // filtered by interviewerId
        ["GET /api/events/{id}"] = (HttpStatusCode.NotFound, HttpStatusCode.OK),              // another's interview is not shown
        ["GET /api/interviewers"] = (HttpStatusCode.OK, HttpStatusCode.OK),                   // the roster is everyone's
        ["GET /api/interviewers/{id}"] = (HttpStatusCode.OK, HttpStatusCode.OK),
        ["GET /api/interviewers/{id}/availability"] = (HttpStatusCode.OK, HttpStatusCode.OK),
        ["GET /api/interviewers/{id}/calendar"] = (HttpStatusCode.Forbidden, HttpStatusCode.OK),
        ["GET /api/interviewers/{id}/events"] = (HttpStatusCode.Forbidden, HttpStatusCode.OK),
        ["PUT /api/interviewers/{id}"] = (HttpStatusCode.Forbidden, HttpStatusCode.OK),       // a valid edit of working settings
        ["GET /api/events/{id}/ics"] = (HttpStatusCode.NotFound, HttpStatusCode.OK),
        ["GET /api/interviewers/{id}/calendar-feed"] = (HttpStatusCode.Forbidden, HttpStatusCode.OK),
        ["POST /api/interviewers/{id}/calendar-feed/rotate"] = (HttpStatusCode.Forbidden, HttpStatusCode.OK),
        ["GET /api/interviewers/{id}/calendars"] = (HttpStatusCode.Forbidden, HttpStatusCode.OK),
        ["POST /api/interviewers/{id}/calendars"] = (HttpStatusCode.Forbidden, HttpStatusCode.Created),
        ["GET /api/interviewers/{id}/calendars/{calendarId}"] = (HttpStatusCode.Forbidden, HttpStatusCode.NotFound), // no such link
        ["DELETE /api/interviewers/{id}/calendars/{calendarId}"] = (HttpStatusCode.Forbidden, HttpStatusCode.NotFound),
        ["POST /api/interviewers/{id}/calendars/{calendarId}/sync"] = (HttpStatusCode.Forbidden, HttpStatusCode.NotFound),
        ["GET /api/exports/interviews"] = (HttpStatusCode.Forbidden, HttpStatusCode.OK),      // filtered by interviewerId, like the list
        ["GET /api/exports/interviewers"] = (HttpStatusCode.OK, HttpStatusCode.OK),           // the roster, like the list
    };

    /// <summary>The routes of the endpoint inventory that the interviewer role passes the policy of (the signed-in user's own /api/auth routes aside).</summary>
    private IEnumerable<(string Method, string Pattern)> InterviewerCallableRoutes()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToArray();
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || policies.Length == 0
                || policies.Any(p => p != Policies.Authenticated) || pattern.StartsWith("/api/auth", StringComparison.Ordinal)
                // The live stream names no object: what it lets through is LiveVisibilityTests'.
                || pattern == "/api/stream")
            {
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                yield return (method, pattern);
            }
        }
    }

    [Fact]
    public async Task Interviewer_OnEveryRouteItMayCall_ReachesOnlyItsOwnObjects_AndChangesNothingOfAnother()
    {
        var (staff, own, a, b, eventA, eventB) = await Arrange();
        var routes = InterviewerCallableRoutes().Distinct().OrderBy(r => r.Pattern).ThenBy(r => r.Method).ToArray();
        Assert.Equal(InterviewerRoutes.Keys.Order(), routes.Select(r => $"{r.Method} {r.Pattern}").Order());
        var profiles = new Dictionary<string, JsonElement>
        {
            [a] = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{a}"), HttpStatusCode.OK),
            [b] = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{b}"), HttpStatusCode.OK),
        };
        var beforeB = await ReadAll(staff, b, eventB);

        HttpRequestMessage Request(string method, string pattern, string interviewer, string interviewEvent)
        {
            var path = pattern.Replace("{id}", pattern.StartsWith("/api/events", StringComparison.Ordinal) ? interviewEvent : interviewer, StringComparison.Ordinal)
                .Replace("{calendarId}", "0123456789abcdef0123456789abcdef", StringComparison.Ordinal);
            var query = pattern switch
            {
                "/api/events" or "/api/exports/interviews" => $"?interviewerId={interviewer}",
                "/api/interviewers/{id}/availability" or "/api/availability" => $"?from={Iso(Day)}&to={Iso(Day.AddDays(1))}&durationMinutes=30",
                _ => "",
            };
            var request = new HttpRequestMessage(new HttpMethod(method), path + query);
            if (method == "POST" && pattern == "/api/interviewers/{id}/calendars")
            {
                request.Content = JsonContent.Create(new { kind = "ics", url = "https://calendar.example.com/feed.ics" });
            }
            if (pattern == "/api/availability/panel")
            {
                request.Content = JsonContent.Create(new { requirements = new[] { new { skills = new[] { "go" } } }, durationMinutes = 30, from = Iso(Day), to = Iso(Day.AddDays(1)) });
            }
            if (method == "PUT")
            {
                // The interviewer's name and email as they are, and new working settings: what an interviewer may change of its own.
                var current = profiles[interviewer];
                request.Content = JsonContent.Create(new
                {
                    name = current.GetProperty("name").GetString(),
                    email = current.GetProperty("email").GetString(),
                    skills = new[] { "go", "rust" },
                    bufferMinutes = 30,
                });
            }
            return request;
        }

        var failures = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            var (other, mine) = InterviewerRoutes[$"{method} {pattern}"];
            using var toOther = Request(method, pattern, b, eventB);
            using var toOwn = Request(method, pattern, a, eventA);
            using var againstOther = await own.SendAsync(toOther);
            using var againstOwn = await own.SendAsync(toOwn);
            if (againstOther.StatusCode != other || againstOwn.StatusCode != mine)
            {
                failures.Add($"{method} {pattern}: another's {(int)againstOther.StatusCode} (expected {(int)other}), own {(int)againstOwn.StatusCode} (expected {(int)mine})");
            }
            if (!againstOther.IsSuccessStatusCode)
            {
                var problem = await ApiAssert.Problem(againstOther, other);
                Assert.Equal(other == HttpStatusCode.Forbidden ? "forbidden" : "not_found", problem.GetProperty("code").GetString());
                Assert.Equal(other == HttpStatusCode.Forbidden ? "Forbidden" : "Not Found", problem.GetProperty("title").GetString());
            }
        }

        Assert.Empty(failures);
        // Nothing of the other interviewer changed: profile (and version), calendar, interviews.
        Assert.Equal(beforeB, await ReadAll(staff, b, eventB));
        // ... while the own edit went through.
        var ownAfter = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{a}"), HttpStatusCode.OK);
        Assert.Equal(30, ownAfter.GetProperty("bufferMinutes").GetInt32());
    }

    /// <summary>Everything staff can read of an interviewer and one of its interviews, as the API writes it.</summary>
    private static async Task<string[]> ReadAll(HttpClient staff, string interviewer, string interviewEvent) =>
    [
        await (await staff.GetAsync($"/api/interviewers/{interviewer}")).Content.ReadAsStringAsync(),
        await (await staff.GetAsync($"/api/interviewers/{interviewer}/calendar")).Content.ReadAsStringAsync(),
        await (await staff.GetAsync($"/api/interviewers/{interviewer}/events?limit=100")).Content.ReadAsStringAsync(),
        await (await staff.GetAsync($"/api/events/{interviewEvent}")).Content.ReadAsStringAsync(),
    ];

    [Fact]
    public async Task Interviewer_EditingOwnProfileWithAStaleIfMatch_Gets412_AndChangesNothing()
    {
        var (staff, own, a, _, _, _) = await Arrange();
        var before = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{a}"), HttpStatusCode.OK);
        var version = before.GetProperty("version").GetInt64();
        // A recruiter's change since the interviewer read its profile (a new name: staff may change anything).
        await ApiAssert.Json(await staff.PutAsJsonAsync($"/api/interviewers/{a}", new
        {
            name = "Alice Renamed",
            email = before.GetProperty("email").GetString(),
            skills = new[] { "go", "sql" },
        }), HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/interviewers/{a}")
        {
            Content = JsonContent.Create(new { name = "Alice Renamed", email = before.GetProperty("email").GetString(), bufferMinutes = 20 }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        var stale = await own.SendAsync(request);

        await ApiAssert.Problem(stale, HttpStatusCode.PreconditionFailed);
        var after = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{a}"), HttpStatusCode.OK);
        Assert.Equal(version + 1, after.GetProperty("version").GetInt64());
        Assert.Equal("Alice Renamed", after.GetProperty("name").GetString());
        Assert.Equal(0, after.GetProperty("bufferMinutes").GetInt32());
    }
}
