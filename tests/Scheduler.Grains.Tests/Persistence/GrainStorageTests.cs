using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Scheduler.Common;
using Scheduler.Grains.Users;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>Our SQLite and PostgreSQL scripts for the Orleans ADO.NET storage honour its optimistic-concurrency contract.</summary>
public abstract class GrainStorageTests(ClusterFixture fixture)
{
    private IGrainStorage Storage => ((Orleans.TestingHost.InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider
        .GetRequiredKeyedService<IGrainStorage>("Default");

    /// <summary>The Orleans ADO.NET provider itself (on SQLite, "Default" writes through our group commit).</summary>
    private IGrainStorage AdoNet => ((Orleans.TestingHost.InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider
        .GetRequiredKeyedService<IGrainStorage>("adonet");

    private static GrainState<SessionState> State(string owner, string? etag) => new(new SessionState { Stamp = owner }) { ETag = etag };

    /// <summary>Writes <paramref name="first"/>, then <paramref name="second"/> over it, through <paramref name="storage"/>.</summary>
    private static async Task<GrainState<SessionState>> WrittenTwice(IGrainStorage storage, string stateName, GrainId id, string first, string second)
    {
        var state = State(first, null);
        await storage.WriteStateAsync(stateName, id, state);
        state.State!.Stamp = second;
        await storage.WriteStateAsync(stateName, id, state);
        return state;
    }

    private static async Task<GrainState<SessionState>> ReadBy(IGrainStorage storage, string stateName, GrainId id, string before = "")
    {
        var read = State(before, null);
        await storage.ReadStateAsync(stateName, id, read);
        return read;
    }

    [Fact]
    public async Task Read_InACallThatAnnouncedTheGrainFresh_AnswersNothingStoredWithoutAsking_AndItsWriteCannotOverwrite()
    {
        var id = GrainId.Create("storage-test", Guid.NewGuid().ToString("N"));
        await AdoNet.WriteStateAsync("storage-test", id, State("stored first", null));

        GrainState<SessionState> fresh;
        using (FreshGrain.Announce(id))
        {
            fresh = await ReadBy(Storage, "storage-test", id, before: "left over");
            await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("storage-test", id, State("overwrite", fresh.ETag)));
        }
        var after = await ReadBy(Storage, "storage-test", id);

        Assert.False(fresh.RecordExists);
        Assert.Null(fresh.ETag);
        Assert.Null(fresh.State!.Stamp);
        Assert.True(after.RecordExists);
        Assert.Equal("stored first", after.State!.Stamp);
    }

    [Fact]
    public async Task Read_OfAnotherGrainThanTheAnnouncedOne_AsksTheDatabase()
    {
        var id = GrainId.Create("storage-test", Guid.NewGuid().ToString("N"));
        await AdoNet.WriteStateAsync("storage-test", id, State("stored", null));

        GrainState<SessionState> read;
        using (FreshGrain.Announce(GrainId.Create("storage-other", id.Key.ToString()!)))
        {
            read = await ReadBy(Storage, "storage-test", id);
        }

        Assert.True(read.RecordExists);
        Assert.Equal("stored", read.State!.Stamp);
    }

    [Fact]
    public async Task Write_InsertThenUpdates_BumpsTheVersionAndReadsBack()
    {
        var id = GrainId.Create("storage-test", Guid.NewGuid().ToString("N"));
        var state = State("first", null);

        await Storage.WriteStateAsync("storage-test", id, state);
        var afterInsert = state.ETag;
        state.State!.Stamp = "second";
        await Storage.WriteStateAsync("storage-test", id, state);
        var read = State("", null);
        await Storage.ReadStateAsync("storage-test", id, read);

        Assert.Equal("1", afterInsert);
        Assert.Equal("2", state.ETag);
        Assert.Equal("second", read.State!.Stamp);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Write_WithStaleOrMissingVersion_IsRejectedAndChangesNothing()
    {
        var id = GrainId.Create("storage-test", Guid.NewGuid().ToString("N"));
        var winner = State("winner", null);
        await Storage.WriteStateAsync("storage-test", id, winner);
        await Storage.WriteStateAsync("storage-test", id, winner);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("storage-test", id, State("second insert", null)));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("storage-test", id, State("stale", "1")));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            Storage.WriteStateAsync("storage-test", GrainId.Create("storage-test", Guid.NewGuid().ToString("N")), State("no row", "3")));

        var read = State("", null);
        await Storage.ReadStateAsync("storage-test", id, read);
        Assert.Equal("winner", read.State!.Stamp);
        Assert.Equal("2", read.ETag);
    }

    [Theory]
    [InlineData("0192f3a4b5c6d7e8f90a1b2c3d4e5f60")] // a GUID key, as our resource ids are
    [InlineData("0192f3a4b5c6d7e8f90a1b2c3d4e5f60+extension")]
    [InlineData("7b")] // reads as a hexadecimal integer key
    [InlineData("7b+extension")]
    [InlineData("interviewer/grace@example.com")] // a string key
    public async Task Write_IsReadBackByTheBareAdoNetProvider_ForEveryKeyShape(string key)
    {
        var id = GrainId.Create("storage-test-" + Guid.NewGuid().ToString("N"), key);

        var state = await WrittenTwice(Storage, "storage-test", id, "written", "updated");
        var read = await ReadBy(AdoNet, "storage-test", id);

        Assert.Equal("updated", read.State!.Stamp);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Theory]
    [InlineData("0192f3a4b5c6d7e8f90a1b2c3d4e5f60")]
    [InlineData("0192f3a4b5c6d7e8f90a1b2c3d4e5f60+extension")]
    [InlineData("7b")]
    [InlineData("7b+extension")]
    [InlineData("interviewer/grace@example.com")]
    public async Task Read_WhatTheBareAdoNetProviderWrote_ForEveryKeyShape(string key)
    {
        // The row's key is the grain key and the state name (not the grain type): a state name of its own.
        var stateName = "storage-test-" + Guid.NewGuid().ToString("N");
        var id = GrainId.Create("storage-test", key);
        await WrittenTwice(AdoNet, stateName, id, "written", "updated");

        var read = await ReadBy(Storage, stateName, id);

        Assert.Equal("updated", read.State!.Stamp);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Read_ClearedGrain_IsAFreshStateWithTheClearedVersion_AsTheProviderReadsIt()
    {
        var id = GrainId.Create("storage-test", Guid.NewGuid().ToString("N"));
        var state = State("owner", null);
        await Storage.WriteStateAsync("storage-test", id, state);
        await Storage.ClearStateAsync("storage-test", id, state);

        var read = await ReadBy(Storage, "storage-test", id, before: "stale");
        var byProvider = await ReadBy(AdoNet, "storage-test", id, before: "stale");

        Assert.Null(read.State!.Stamp);
        Assert.False(read.RecordExists);
        Assert.Equal("2", read.ETag);
        Assert.Equal(byProvider.ETag, read.ETag);
        Assert.Equal(byProvider.RecordExists, read.RecordExists);
    }

    [Fact]
    public async Task Read_ManyGrainsAtOnce_EachGetsItsOwnRow()
    {
        var ids = Enumerable.Range(0, 64).Select(_ => GrainId.Create("storage-test", Guid.NewGuid().ToString("N"))).ToArray();
        await Task.WhenAll(ids.Select((id, n) => Storage.WriteStateAsync("storage-test", id, State($"owner {n}", null))));

        var reads = ids.Select(_ => State("", null)).ToArray();
        await Task.WhenAll(ids.Select((id, n) => Task.Run(() => Storage.ReadStateAsync("storage-test", id, reads[n]))));

        Assert.All(reads, (read, n) =>
        {
            Assert.Equal($"owner {n}", read.State!.Stamp);
            Assert.Equal("1", read.ETag);
        });
    }

    [Fact]
    public async Task Write_ManyGrainsAtOnce_EachIsDurableWithItsOwnVersion()
    {
        var ids = Enumerable.Range(0, 64).Select(_ => GrainId.Create("storage-test", Guid.NewGuid().ToString("N"))).ToArray();
        var states = ids.Select((_, n) => State($"owner {n}", null)).ToArray();

        await Task.WhenAll(ids.Select((id, n) => Storage.WriteStateAsync("storage-test", id, states[n])));
        await Task.WhenAll(ids.Select((id, n) => Storage.WriteStateAsync("storage-test", id, states[n])));

        for (var n = 0; n < ids.Length; n++)
        {
            var read = State("", null);
            await AdoNet.ReadStateAsync("storage-test", ids[n], read);
            Assert.Equal($"owner {n}", read.State!.Stamp);
            Assert.Equal("2", read.ETag);
        }
    }

    [Fact]
    public async Task Read_UnknownGrain_IsEmptyWithoutVersion()
    {
        var read = State("untouched", null);

        await Storage.ReadStateAsync("storage-test", GrainId.Create("storage-test", Guid.NewGuid().ToString("N")), read);

        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);
        Assert.Null(read.State!.Stamp);
    }
}

[Collection(ClusterCollection.Name)]
public sealed class SqliteGrainStorageTests(SqliteClusterFixture fixture) : GrainStorageTests(fixture);

[Collection(PostgreSqlClusterCollection.Name)]
public sealed class PostgreSqlGrainStorageTests(PostgreSqlClusterFixture fixture) : GrainStorageTests(fixture);
