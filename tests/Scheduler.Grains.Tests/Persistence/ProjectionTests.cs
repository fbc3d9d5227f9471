using Scheduler.Grains.Persistence;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Persistence;

public abstract class ProjectionTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Update_NewSkills_ReplaceTheOldInTheSkillFilter()
    {
        var before = "before-" + Guid.NewGuid().ToString("N")[..8];
        var after = "after-" + Guid.NewGuid().ToString("N")[..8];
        var grain = _grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        var created = await grain.Create(TestData.Profile(skills: [before]));

        await grain.Update(TestData.Profile(created.Email, skills: [after]), created.Version);

        var query = _grains.GetGrain<IInterviewerQueryGrain>(0);
        var bySkill = (string skill) => query.List(new InterviewerQuery(null, [skill], null, InterviewerSort.Name, false, 10, 0));
        Assert.Equal(0, (await bySkill(before)).Total);
        Assert.Equal(created.Id, Assert.Single((await bySkill(after)).Items).Id);
    }

    [Fact]
    public async Task Create_IsListedFromReadModel_WithFilters()
    {
        var skill = "skill-" + Guid.NewGuid().ToString("N")[..8];
        var created = await _grains.GetGrain<IInterviewerGrain>(TestData.NewId()).Create(TestData.Profile(skills: [skill.ToUpperInvariant(), "go"]));

        var page = await _grains.GetGrain<IInterviewerQueryGrain>(0)
            .List(new InterviewerQuery(InterviewerStatus.Active, [skill, "GO"], null, InterviewerSort.Name, false, 10, 0));

        var listed = Assert.Single(page.Items);
        Assert.Equal(created.Id, listed.Id);
        Assert.Equal(created.Skills, listed.Skills);
        Assert.Equal(created.CreatedAt, listed.CreatedAt);
    }

    [Fact]
    public async Task StartupCheck_ReadModelRowMissing_ReportsTheMismatch()
    {
        var id = TestData.NewId();
        await _grains.GetGrain<IInterviewerGrain>(id).Create(TestData.Profile());
        // What no change can leave any more (state and row commit together): a row removed behind the service's back.
        Execute("DELETE FROM interviewers WHERE id = @id", id);
        try
        {
            var mismatch = await fixture.SiloService<StartupRecovery>().CountMismatch();

            Assert.NotNull(mismatch);
            Assert.Contains("interviewer:", mismatch);
        }
        finally
        {
            // The fixture's other tests share the database: its counts agree again.
            Execute("DELETE FROM OrleansStorage WHERE GrainTypeString = 'interviewer' AND GrainIdN0 = @n0 AND GrainIdN1 = @n1", id);
        }
    }

    [Fact]
    public async Task StartupCheck_AnotherServicesGrain_IsNotCounted()
    {
        var id = TestData.NewId();
        await _grains.GetGrain<IInterviewerGrain>(id).Create(TestData.Profile());
        // A database shared with another service (or a renamed one): its rows carry another ServiceId.
        Assert.Equal(1, Execute("""
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
                                        ServiceId, PayloadBinary, ModifiedOn, Version)
            SELECT GrainIdHash, GrainIdN0 + 1, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, 'another-service',
                   PayloadBinary, ModifiedOn, Version
            FROM OrleansStorage WHERE GrainTypeString = 'interviewer' AND GrainIdN0 = @n0 AND GrainIdN1 = @n1
            """, id));

        Assert.Null(await fixture.SiloService<StartupRecovery>().CountMismatch());
    }

    /// <summary>Runs <paramref name="sql"/> with <c>@id</c> and the GUID halves <c>@n0</c>, <c>@n1</c> the provider stores the key as.</summary>
    private int Execute(string sql, string id)
    {
        using var connection = fixture.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var key = Guid.ParseExact(id, "N").ToByteArray();
        command.Add("@id", id);
        command.Add("@n0", BitConverter.ToInt64(key, 0));
        command.Add("@n1", BitConverter.ToInt64(key, 8));
        return command.ExecuteNonQuery();
    }

    [Fact]
    public async Task Delete_RemovesFromList()
    {
        var skill = "gone-" + Guid.NewGuid().ToString("N")[..8];
        var grain = _grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        await grain.Create(TestData.Profile(skills: [skill]));

        await grain.Delete(null);

        var page = await _grains.GetGrain<IInterviewerQueryGrain>(0)
            .List(new InterviewerQuery(null, [skill], null, InterviewerSort.Name, false, 10, 0));
        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }
}

[Collection(ClusterCollection.Name)]
public sealed class SqliteProjectionTests(SqliteClusterFixture fixture) : ProjectionTests(fixture);

[Collection(PostgreSqlClusterCollection.Name)]
public sealed class PostgreSqlProjectionTests(PostgreSqlClusterFixture fixture) : ProjectionTests(fixture);
