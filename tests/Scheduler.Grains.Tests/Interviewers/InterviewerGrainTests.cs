using System.Text.Json;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Grains.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Interviewers;

[Collection(ClusterCollection.Name)]
public sealed class InterviewerGrainTests(SqliteClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Create_NewInterviewer_IsReadableAtVersionOne()
    {
        var id = TestData.NewId();
        var profile = TestData.Profile();

        var created = await _grains.GetGrain<IInterviewerGrain>(id).Create(profile);
        var read = await _grains.GetGrain<IInterviewerGrain>(id).Get();

        Assert.Equal(1, created.Version);
        Assert.NotNull(read);
        Assert.Equal(profile.Email, read.Email);
        Assert.Equal(profile.Skills, read.Skills);
        Assert.Equal(created.CreatedAt, read.UpdatedAt);
    }

    [Fact]
    public async Task Create_SameIdTwice_ThrowsAlreadyExists()
    {
        var grain = _grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        await grain.Create(TestData.Profile());

        var error = await Assert.ThrowsAsync<ConflictException>(() => grain.Create(TestData.Profile()));

        Assert.Equal("already_exists", error.Code);
    }

    [Fact]
    public async Task Create_SameIdAndProfileAgain_ReturnsTheFirstCreateAndWritesNothing()
    {
        var grain = _grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        var profile = TestData.Profile(skills: ["go", "rust"]);
        var created = await grain.Create(profile);

        var again = await grain.Create(profile with { Skills = ["go", "rust"] });

        Assert.Equal((created.Id, created.CreatedAt, created.UpdatedAt, 1L), (again.Id, again.CreatedAt, again.UpdatedAt, again.Version));
        Assert.Equal(1, (await grain.Get())!.Version);
    }

    [Fact]
    public async Task Create_SameProfileAfterAnUpdate_ThrowsAlreadyExists()
    {
        var grain = _grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        var profile = TestData.Profile();
        await grain.Create(profile);
        await grain.Update(profile with { Name = "Renamed" }, expectedVersion: 1, keepBookings: false);

        var error = await Assert.ThrowsAsync<ConflictException>(() => grain.Create(profile));

        Assert.Equal("already_exists", error.Code);
    }

    [Fact]
    public async Task Create_EmailOfAnotherInterviewerInOtherCase_ThrowsEmailTaken()
    {
        var email = TestData.UniqueEmail();
        await _grains.GetGrain<IInterviewerGrain>(TestData.NewId()).Create(TestData.Profile(email));

        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            _grains.GetGrain<IInterviewerGrain>(TestData.NewId()).Create(TestData.Profile(email.ToUpperInvariant())));

        Assert.Equal("email_taken", error.Code);
    }

    [Fact]
    public async Task Create_TwentyConcurrentWithSameEmailAcrossSilos_ExactlyOneSucceeds()
    {
        var email = TestData.UniqueEmail("race");
        var ids = Enumerable.Range(0, 20).Select(_ => TestData.NewId()).ToArray();

        var outcomes = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                await _grains.GetGrain<IInterviewerGrain>(id).Create(TestData.Profile(email));
                return true;
            }
            catch (ConflictException e) when (e.Code == "email_taken")
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(won => won));
        var winner = ids[Array.IndexOf(outcomes, true)];
        Assert.Equal(winner, await EmailClaims.Owner(fixture.SiloService<ReadModelQueries>(), EmailOwnerKind.Interviewer, email));
        var existing = await Task.WhenAll(ids.Select(id => _grains.GetGrain<IInterviewerGrain>(id).Get()));
        Assert.Single(existing, i => i is not null);
    }

    [Fact]
    public async Task Update_WithStaleVersion_ThrowsVersionMismatchAndChangesNothing()
    {
        var grain = _grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        var created = await grain.Create(TestData.Profile());
        await grain.Update(TestData.Profile(created.Email, name: "Second"), expectedVersion: 1);

        await Assert.ThrowsAsync<VersionMismatchException>(() => grain.Update(TestData.Profile(created.Email, name: "Third"), expectedVersion: 1));

        var current = await grain.Get();
        Assert.Equal("Second", current!.Name);
        Assert.Equal(2, current.Version);
    }

    [Fact]
    public async Task Update_ChangingEmail_FreesTheOldEmail()
    {
        var oldEmail = TestData.UniqueEmail("old");
        var grain = _grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        await grain.Create(TestData.Profile(oldEmail));

        await grain.Update(TestData.Profile(TestData.UniqueEmail("new")), expectedVersion: null);
        var other = await _grains.GetGrain<IInterviewerGrain>(TestData.NewId()).Create(TestData.Profile(oldEmail));

        Assert.Equal(oldEmail, other.Email);
    }

    [Fact]
    public async Task Delete_ThenGet_ReturnsNullAndEmailIsFree()
    {
        var email = TestData.UniqueEmail();
        var grain = _grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        await grain.Create(TestData.Profile(email));

        await grain.Delete(expectedVersion: null);

        Assert.Null(await grain.Get());
        await Assert.ThrowsAsync<NotFoundException>(() => grain.Delete(null));
        await _grains.GetGrain<IInterviewerGrain>(TestData.NewId()).Create(TestData.Profile(email));
    }

    [Fact]
    public async Task CreateUpdateDelete_WritesOneAuditEntryEach_WithActorAndChanges()
    {
        ActorContext.Set(new Actor("user-42", "recruiter@example.com"));
        var id = TestData.NewId();
        var grain = _grains.GetGrain<IInterviewerGrain>(id);
        var created = await grain.Create(TestData.Profile());
        await grain.Update(TestData.Profile(created.Email, name: "Renamed"), null);
        await grain.Delete(null);

        var page = await _grains.GetGrain<IAuditLogQueryGrain>(0)
            .Search(new AuditQuery(AuditEntityTypes.Interviewer, id, null, null, null, null, 100, 0));

        Assert.Equal(3, page.Total);
        Assert.Equal([AuditActions.Deleted, AuditActions.Updated, AuditActions.Created], page.Items.Select(e => e.Action));
        Assert.All(page.Items, e => Assert.Equal("recruiter@example.com", e.Actor));
        Assert.All(page.Items, e => Assert.Equal("user-42", e.ActorId));
        using var changes = JsonDocument.Parse(page.Items[1].ChangesJson);
        Assert.Equal("Ada Lovelace", changes.RootElement.GetProperty("name").GetProperty("from").GetString());
        Assert.Equal("Renamed", changes.RootElement.GetProperty("name").GetProperty("to").GetString());
        Assert.False(changes.RootElement.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task Update_WithNoChange_KeepsVersionAndWritesNoAuditEntry()
    {
        var id = TestData.NewId();
        var grain = _grains.GetGrain<IInterviewerGrain>(id);
        var created = await grain.Create(TestData.Profile());

        var same = await grain.Update(new InterviewerProfile(created.Name, created.Email, created.Skills, created.Status, created.Timezone), null);

        Assert.Equal(1, same.Version);
        var page = await _grains.GetGrain<IAuditLogQueryGrain>(0)
            .Search(new AuditQuery(AuditEntityTypes.Interviewer, id, null, null, null, null, 100, 0));
        Assert.Equal(1, page.Total);
    }
}
