using Scheduler.Users;

namespace Scheduler.Api.Tests.Security;

/// <summary>The email of an interviewer's profile is the recruiters' to change, even only its case.</summary>
public sealed class InterviewerEmailTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task Interviewer_ChangingTheCaseOfItsOwnEmail_IsForbidden_AndChangesNothing()
    {
        var staff = await factory.ClientAs(Roles.Talent);
        var email = $"case.{Guid.NewGuid():N}@example.com";
        var created = await ApiAssert.Json(await staff.PostAsJsonAsync("/api/interviewers", new { name = "Casey", email }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var own = await factory.ClientAs(Roles.Interviewer, interviewerId: id);

        var response = await own.PutAsJsonAsync($"/api/interviewers/{id}", new { name = "Casey", email = email.ToUpperInvariant() });

        var problem = await ApiAssert.Problem(response, HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        var after = await ApiAssert.Json(await staff.GetAsync($"/api/interviewers/{id}"), HttpStatusCode.OK);
        Assert.Equal(email, after.GetProperty("email").GetString());
        Assert.Equal(created.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
    }
}
