using Scheduler.Users;
using static Scheduler.Api.Tests.Exports.ExportReaders;

namespace Scheduler.Api.Tests.Exports;

/// <summary>Exports follow the lists' access rules, and refuse bad options with a 400 problem.</summary>
public sealed class ExportAccessTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task InterviewsExport_InterviewerUser_GetsOnlyItsOwn_AndIsRefusedAnothers()
    {
        var (staff, own) = await NewInterviewer(factory);
        var (_, other) = await NewInterviewer(factory);
        await Book(staff, own, InDays(20), "Mine");
        await Book(staff, other, InDays(20), "Not mine");
        var interviewer = await factory.ClientAs(Roles.Interviewer, interviewerId: own);

        var rows = await ReadCsv(await File200(await interviewer.GetAsync("/api/exports/interviews"), "text/csv", "interviews", "csv"));
        var refused = await interviewer.GetAsync($"/api/exports/interviews?interviewerId={other}");

        var interviewerColumn = Array.IndexOf(rows[0], "Interviewer id");
        Assert.NotEmpty(rows[1..]);
        Assert.All(rows[1..], r => Assert.Equal(own, r[interviewerColumn]));
        Assert.Contains(rows[1..], r => r[Array.IndexOf(rows[0], "Title")] == "Mine");
        await ApiAssert.Problem(refused, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(Roles.Talent)]
    [InlineData(Roles.Interviewer)]
    public async Task AuditExport_NonAdmin_Forbidden(string role)
    {
        var (_, id) = await NewInterviewer(factory);
        var client = await factory.ClientAs(role, interviewerId: role == Roles.Interviewer ? id : null);

        await ApiAssert.Problem(await client.GetAsync("/api/exports/audit-logs"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Exports_Anonymous_Unauthorized() =>
        await ApiAssert.Problem(await factory.CreateClient().GetAsync("/api/exports/interviews"), HttpStatusCode.Unauthorized);

    [Theory]
    [InlineData("/api/exports/interviews?format=docx", "format")]
    [InlineData("/api/exports/interviewers?format=CSV", "format")]
    [InlineData("/api/exports/interviews?timezone=Mars/Olympus", "timezone")]
    [InlineData("/api/exports/audit-logs?timezone=europe/berlin", "timezone")]
    [InlineData("/api/exports/interviews?format=pdf&status=maybe", "status")]
    [InlineData("/api/exports/interviewers?sort=height", "sort")]
    [InlineData("/api/exports/audit-logs?action=exploded&format=xml", "action", "format")]
    public async Task Export_BadOption_AnswersValidationProblem(string path, params string[] fields)
    {
        var admin = await factory.ClientAs(Roles.Admin);

        await ApiAssert.Invalid(await admin.GetAsync(path), fields);
    }
}
