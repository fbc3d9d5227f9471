using Scheduler.Users;
using static Scheduler.Api.Tests.Calendars.CalendarFixtures;

namespace Scheduler.Api.Tests.Calendars;

/// <summary>The service as in production: linked URLs must reach public addresses only.</summary>
public sealed class PublicOnlyFactory : CalendarSyncFactory
{
    protected override bool AllowPrivateNetworks => false;
}

public sealed class SsrfTests(PublicOnlyFactory factory) : IClassFixture<PublicOnlyFactory>
{
    [Theory]
    [InlineData("http://127.0.0.1:{port}/recruiter/cal/")]
    [InlineData("http://localhost:{port}/recruiter/cal/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]:{port}/recruiter/cal/")]
    [InlineData("http://10.0.0.7/cal.ics")]
    public async Task Sync_UrlResolvingToAPrivateAddress_IsRefusedAtConnect_AndReportedInLastError(string template)
    {
        var client = await factory.ClientAs(Roles.Talent);
        var interviewerId = await NewBerlinInterviewer(client);
        var url = template.Replace("{port}", factory.Radicale.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var linked = await Link(client, interviewerId, new { kind = "caldav", url, username = factory.Radicale.User, password = factory.Radicale.Password });

        var synced = await SyncNow(client, interviewerId, linked.GetProperty("id").GetString()!);

        Assert.Contains("non-public address", synced.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("lastSyncedAt").ValueKind);
        Assert.Equal(0, synced.GetProperty("busyCount").GetInt32());
    }
}
