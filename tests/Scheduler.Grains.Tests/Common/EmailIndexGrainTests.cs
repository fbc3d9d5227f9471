using Scheduler.Common;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Common;

[Collection(ClusterCollection.Name)]
public sealed class EmailIndexGrainTests(SqliteClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task TryReserve_OrphanedByOwnerThatNeverSaved_IsReclaimed()
    {
        // What a crash between "reserve email" and "write interviewer" leaves behind.
        var email = TestData.UniqueEmail("orphan");
        var ghost = TestData.NewId();
        Assert.True(await _grains.For(EmailOwnerKind.Interviewer, email).TryReserve(ghost));

        var id = TestData.NewId();
        var created = await _grains.GetGrain<IInterviewerGrain>(id).Create(TestData.Profile(email));

        Assert.Equal(email, created.Email);
        Assert.Equal(id, await _grains.For(EmailOwnerKind.Interviewer, email).GetOwner());
    }

    [Fact]
    public async Task TryReserve_HeldByLiveOwner_IsRefused()
    {
        var email = TestData.UniqueEmail("held");
        var owner = TestData.NewId();
        await _grains.GetGrain<IInterviewerGrain>(owner).Create(TestData.Profile(email));

        Assert.False(await _grains.For(EmailOwnerKind.Interviewer, email).TryReserve(TestData.NewId()));
        Assert.True(await _grains.For(EmailOwnerKind.Interviewer, email).TryReserve(owner));
    }

    [Fact]
    public async Task TryReserve_Won_LeavesMemoryAndStaysHeld()
    {
        var email = TestData.UniqueEmail("leaves");
        var owner = TestData.NewId();
        await _grains.GetGrain<IInterviewerGrain>(owner).Create(TestData.Profile(email));
        var index = _grains.For(EmailOwnerKind.Interviewer, email);

        // Needed only while an email changes hands: once its reservation is durable, the index grain deactivates.
        var management = _grains.GetGrain<IManagementGrain>(0);
        var indexId = index.GetGrainId();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await management.GetActiveGrains(indexId.Type)).Contains(indexId))
        {
            await Task.Delay(20, timeout.Token);
        }

        Assert.False(await index.TryReserve(TestData.NewId()));
        Assert.Equal(owner, await index.GetOwner());
    }

    [Fact]
    public async Task Release_ByNonOwner_KeepsReservation()
    {
        var email = TestData.UniqueEmail("keep");
        var owner = TestData.NewId();
        await _grains.GetGrain<IInterviewerGrain>(owner).Create(TestData.Profile(email));

        await _grains.For(EmailOwnerKind.Interviewer, email).Release(TestData.NewId());

        Assert.Equal(owner, await _grains.For(EmailOwnerKind.Interviewer, email).GetOwner());
    }
}
