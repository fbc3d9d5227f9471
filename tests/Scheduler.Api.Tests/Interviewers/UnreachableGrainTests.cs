using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scheduler.Api.Tests.Calendars;
using Scheduler.CalendarFeeds;
using Scheduler.Interviewers;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Interviewers;

/// <summary>
/// A grain that cannot be reached (planted timeouts): a request that has sent nothing that could change something
/// answers 503 <c>temporarily_unavailable</c>, whatever its method; one whose change was sent answers <c>change_in_doubt</c>.
/// </summary>
public sealed class UnreachableGrainTests(UnreachableGrainTests.LoggedFactory factory) : IClassFixture<UnreachableGrainTests.LoggedFactory>
{
    private const string Password = "a-long-enough-password";

    [Fact]
    public async Task Create_SessionCheckTimesOut_Returns503TemporarilyUnavailable_AndCreatesNothing()
    {
        var email = $"unreachable.{Guid.NewGuid():N}@scheduler.test";
        var user = await factory.RegisterUser(email, "Unreachable", Password, Roles.Talent);
        using var client = factory.CreateClient();
        client.UseBearer(await factory.Login(email, Password));
        var interviewer = new { name = "Never Created", email = $"never.{Guid.NewGuid():N}@example.com" };

        HttpResponseMessage refused;
        using (InjectedFaults.Plant(factory.Grains.GetGrain<IUserGrain>(user.Id), nameof(IUserGrain.GetSessionLease), new TimeoutException("planted")))
        {
            refused = await client.PostAsJsonAsync("/api/interviewers", interviewer);
        }

        var problem = await ApiAssert.Problem(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("temporarily_unavailable", problem.GetProperty("code").GetString());
        // Sent again, the same email is free: the first one stored nothing.
        await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", interviewer), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Update_ItsIfMatchReadTimesOut_Returns503TemporarilyUnavailable()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var (id, email) = await NewInterviewer(client);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/interviewers/{id}")
        {
            Content = JsonContent.Create(new { name = "Renamed", email }),
        };
        // Two tags: the API reads the current version to pick the one the change is for.
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\", \"2\"");

        HttpResponseMessage refused;
        using (InjectedFaults.Plant(factory.Grains.GetGrain<IInterviewerGrain>(id), nameof(IInterviewerGrain.Get), new TimeoutException("planted")))
        {
            refused = await client.SendAsync(request);
        }

        var problem = await ApiAssert.Problem(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("temporarily_unavailable", problem.GetProperty("code").GetString());
        var unchanged = await ApiAssert.Json(await client.GetAsync($"/api/interviewers/{id}"), HttpStatusCode.OK);
        Assert.Equal("Unreachable Person", unchanged.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_TheChangeTimesOut_Returns503ChangeInDoubt()
    {
        var client = await factory.ClientAs(Roles.Admin);
        var (id, email) = await NewInterviewer(client);

        HttpResponseMessage doubtful;
        using (InjectedFaults.Plant(factory.Grains.GetGrain<IInterviewerGrain>(id), nameof(IInterviewerGrain.Update), new TimeoutException("planted")))
        {
            doubtful = await client.PutAsJsonAsync($"/api/interviewers/{id}", new { name = "Renamed", email });
        }

        var problem = await ApiAssert.Problem(doubtful, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("change_in_doubt", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task CalendarFeed_Unreachable_Returns503_AndTheLogNamesTheRouteNotTheToken()
    {
        using var client = factory.CreateClient();
        var token = "feed-token-that-must-not-be-logged-" + Guid.NewGuid().ToString("N");

        HttpResponseMessage refused;
        using (InjectedFaults.Plant(factory.Grains.GetGrain<ICalendarFeedQueryGrain>(0), nameof(ICalendarFeedQueryGrain.Feed), new TimeoutException("planted")))
        {
            refused = await client.GetAsync($"/calendar/{token}.ics");
        }

        var problem = await ApiAssert.Problem(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("temporarily_unavailable", problem.GetProperty("code").GetString());
        Assert.Contains(factory.Logs.Lines, line => line.Contains("GET /calendar/{token}.ics answered 503", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    /// <summary>The test host, with every log line captured.</summary>
    public sealed class LoggedFactory : SchedulerApiFactory
    {
        public CapturedLogs Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Logs));
        }
    }

    private static async Task<(string Id, string Email)> NewInterviewer(HttpClient client)
    {
        var email = $"unreachable.{Guid.NewGuid():N}@example.com";
        var created = await ApiAssert.Json(await client.PostAsJsonAsync("/api/interviewers", new { name = "Unreachable Person", email }), HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, email);
    }
}
