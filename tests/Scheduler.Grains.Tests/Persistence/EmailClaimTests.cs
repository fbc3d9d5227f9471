using System.Data.Common;
using System.Globalization;
using Orleans.Runtime.Placement;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>
/// The email claims (<c>email_claims</c>, unique per kind of owner) decide every race for an email, on any number of
/// silos, and commit in one transaction with the change's state row, read-model row and audit entry: a refused
/// change leaves nothing behind, an accepted one everything. Checked in the grains and in the database itself.
/// </summary>
public abstract class EmailClaimTests(ClusterFixture fixture)
{
    private const string EmailTaken = "email_taken";

    [Fact]
    public async Task Create_FiftyConcurrentWithOneEmailOnBothSilos_OneWinsAndOnlyItsRowsAreCommitted()
    {
        var email = TestData.UniqueEmail("fifty");
        var ids = Enumerable.Range(0, 50).Select(_ => TestData.NewId()).ToArray();
        for (var n = 0; n < ids.Length; n++)
        {
            await Activate(ids[n], silo: n % 2);
        }
        Assert.Equal(2, (await SilosOf(ids)).Distinct().Count());

        // From the client and from each silo's own grain factory, all at once.
        var outcomes = await Task.WhenAll(ids.Select((id, n) =>
            Outcome(() => Caller(n).GetGrain<IInterviewerGrain>(id).Create(TestData.Profile(email))))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, outcomes.Count(won => won));
        var winner = ids[Array.IndexOf(outcomes, true)];
        var losers = ids.Where(id => id != winner).ToArray();
        Assert.All(await Task.WhenAll(losers.Select(id => fixture.Grains.GetGrain<IInterviewerGrain>(id).Get())), Assert.Null);

        using var connection = fixture.Database.Open();
        Assert.Equal([winner], Strings(connection, "SELECT owner_id FROM email_claims WHERE kind = 'interviewer' AND email_norm = @email",
            ("@email", email)));
        Assert.Equal([winner], Strings(connection, "SELECT id FROM interviewers WHERE email_norm = @email", ("@email", email)));
        // The state row: the winner's, with its payload; of the 49 refused creates, no row at all.
        Assert.Equal(1, StateRows(connection, winner, withPayload: true));
        Assert.All(losers, loser => Assert.Equal(0, StateRows(connection, loser, withPayload: false)));
        var audited = Strings(connection, "SELECT entity_id FROM audit_logs WHERE entity_type = 'interviewer'").Where(ids.Contains);
        Assert.Equal([winner], audited);
    }

    [Fact]
    public async Task Update_EmailChangeRacingCreatesOfTheOldAndNewEmail_ClaimsAgreeWithTheGrainsEveryRound()
    {
        for (var round = 0; round < 20; round++)
        {
            var oldEmail = TestData.UniqueEmail($"old{round}");
            var newEmail = TestData.UniqueEmail($"new{round}");
            string[] ids = [TestData.NewId(), TestData.NewId(), TestData.NewId()];
            // A, B and C on both silos, each called from the client or a silo in turn, so that neither side of a
            // race is always the nearer one; activated beforehand, so that the changes meet in the database.
            for (var n = 0; n < 3; n++)
            {
                await Activate(ids[n], silo: (round + n) % 2);
            }
            var (a, b, c) = (Caller(round).GetGrain<IInterviewerGrain>(ids[0]), Caller(round + 1).GetGrain<IInterviewerGrain>(ids[1]),
                Caller(round + 2).GetGrain<IInterviewerGrain>(ids[2]));
            await a.Create(TestData.Profile(oldEmail));

            var race = await Task.WhenAll(
                Outcome(() => a.Update(TestData.Profile(newEmail), expectedVersion: 1)),
                Outcome(() => b.Create(TestData.Profile(newEmail))),
                Outcome(() => c.Create(TestData.Profile(oldEmail)))).WaitAsync(TimeSpan.FromSeconds(30));
            var (moved, bCreated, cCreated) = (race[0], race[1], race[2]);

            var context = $"round {round}: A moved {moved}, B created {bCreated}, C created {cCreated}";
            Assert.True(moved != bCreated, $"exactly one of A and B holds the new email ({context})");
            Assert.True(moved || !cCreated, $"C cannot take the old email that A kept ({context})");
            var live = new Dictionary<string, Interviewer>();
            foreach (var grain in new[] { a, b, c })
            {
                if (await grain.Get() is { } interviewer)
                {
                    live[grain.GetPrimaryKeyString()] = interviewer;
                }
            }
            Assert.Equal(moved ? newEmail : oldEmail, live[a.GetPrimaryKeyString()].Email);
            Assert.Equal(bCreated, live.ContainsKey(b.GetPrimaryKeyString()));
            Assert.Equal(cCreated, live.ContainsKey(c.GetPrimaryKeyString()));

            // Every live interviewer's email has its claim, and no claim on either email, nor of any of the three, is
            // anything else (two owners of one email, or a claim left by a refused change, would show here).
            using var connection = fixture.Database.Open();
            var claims = Pairs(connection, """
                SELECT owner_id, email_norm FROM email_claims
                 WHERE kind = 'interviewer' AND (owner_id IN (@a, @b, @c) OR email_norm IN (@old, @new))
                """, ("@a", a.GetPrimaryKeyString()), ("@b", b.GetPrimaryKeyString()), ("@c", c.GetPrimaryKeyString()),
                ("@old", EmailIndex.Normalize(oldEmail)), ("@new", EmailIndex.Normalize(newEmail)));
            Assert.Equal(live.Select(e => (e.Key, EmailIndex.Normalize(e.Value.Email))).Order(), claims.Order());
        }
    }

    [Fact]
    public async Task Delete_ThenCreateWithTheSameEmailAtOnce_SucceedsAndTheClaimMovesToTheNewOwner()
    {
        var email = TestData.UniqueEmail("reuse");
        var x = fixture.Grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        var y = fixture.Grains.GetGrain<IInterviewerGrain>(TestData.NewId());
        await x.Create(TestData.Profile(email));

        await x.Delete(expectedVersion: null);
        var created = await y.Create(TestData.Profile(email));

        Assert.Equal(email, created.Email);
        using var connection = fixture.Database.Open();
        Assert.Equal([y.GetPrimaryKeyString()], Strings(connection,
            "SELECT owner_id FROM email_claims WHERE kind = 'interviewer' AND email_norm = @email", ("@email", email)));
        Assert.Empty(Strings(connection, "SELECT email_norm FROM email_claims WHERE kind = 'interviewer' AND owner_id = @x",
            ("@x", x.GetPrimaryKeyString())));
    }

    /// <summary>The client, or the grain factory of silo 1 or 2, in turn.</summary>
    private IGrainFactory Caller(int n) => (n % 3) switch
    {
        0 => fixture.Cluster.Client,
        var silo => fixture.SiloService<IGrainFactory>(silo - 1),
    };

    /// <summary>Activates interviewer <paramref name="id"/> (not yet created) on <paramref name="silo"/>.</summary>
    private async Task Activate(string id, int silo)
    {
        // A placement hint for the activating call (placement alone may put every grain of a test on one silo); set
        // on this method's own flow, so the caller's later calls do not carry it.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, fixture.Cluster.Silos[silo].SiloAddress);
        Assert.Null(await fixture.Grains.GetGrain<IInterviewerGrain>(id).Get());
    }

    private Task<SiloAddress?[]> SilosOf(IEnumerable<string> ids) => Task.WhenAll(ids.Select(id =>
        fixture.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(fixture.Grains.GetGrain<IInterviewerGrain>(id)).AsTask()));

    /// <summary>True when <paramref name="change"/> succeeds, false when it is refused with <c>email_taken</c>; anything else fails the test.</summary>
    private static async Task<bool> Outcome(Func<Task> change)
    {
        try
        {
            await change();
            return true;
        }
        catch (ConflictException error) when (error.Code == EmailTaken)
        {
            return false;
        }
    }

    /// <summary>The interviewer's grain-state rows (by the two halves of its GUID key), those with a payload only if asked.</summary>
    private static long StateRows(DbConnection connection, string id, bool withPayload)
    {
        var key = Guid.ParseExact(id, "N").ToByteArray();
        using var command = Command(connection, $"""
            SELECT count(*) FROM OrleansStorage
             WHERE GrainTypeString = 'interviewer' AND GrainIdN0 = @n0 AND GrainIdN1 = @n1{(withPayload ? " AND PayloadBinary IS NOT NULL" : "")}
            """, ("@n0", BitConverter.ToInt64(key, 0)), ("@n1", BitConverter.ToInt64(key, 8)));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<string> Strings(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private static List<(string, string)> Pairs(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var values = new List<(string, string)>();
        while (reader.Read())
        {
            values.Add((reader.GetString(0), reader.GetString(1)));
        }
        return values;
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }
        return command;
    }
}

[Collection(ClusterCollection.Name)]
public sealed class SqliteEmailClaimTests(SqliteClusterFixture fixture) : EmailClaimTests(fixture);

[Collection(PostgreSqlClusterCollection.Name)]
public sealed class PostgreSqlEmailClaimTests(PostgreSqlClusterFixture fixture) : EmailClaimTests(fixture);
