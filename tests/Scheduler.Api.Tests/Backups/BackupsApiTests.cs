using Scheduler.Users;

namespace Scheduler.Api.Tests.Backups;

/// <summary><c>/api/backups</c>: admins take and list verified backups.</summary>
public sealed class BackupsApiTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    [Fact]
    public async Task StartBackup_AsAdmin_AnswersAVerifiedManifest_ThatTheListShowsFirst()
    {
        var admin = await factory.ClientAs(Roles.Admin);

        var manifest = await ApiAssert.Json(await admin.PostAsync("/api/backups", null), HttpStatusCode.OK);
        var list = await ApiAssert.Json(await admin.GetAsync("/api/backups"), HttpStatusCode.OK);

        Assert.Equal("ok", manifest.GetProperty("integrityCheck").GetString());
        Assert.Equal(64, manifest.GetProperty("sha256").GetString()!.Length);
        Assert.True(manifest.GetProperty("sizeBytes").GetInt64() > 0);
        Assert.True(manifest.GetProperty("rowCounts").GetProperty("users").GetInt64() >= 1);
        Assert.Equal(manifest.GetProperty("name").GetString(), list.GetProperty("data")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Backups_AsRecruiter_Return403()
    {
        var talent = await factory.ClientAs(Roles.Talent);

        await ApiAssert.Problem(await talent.PostAsync("/api/backups", null), HttpStatusCode.Forbidden);
        await ApiAssert.Problem(await talent.GetAsync("/api/backups"), HttpStatusCode.Forbidden);
    }
}
