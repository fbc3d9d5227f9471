using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Scheduler.Grains.Common;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>Our SQLite and PostgreSQL scripts for the Orleans ADO.NET storage honour its optimistic-concurrency contract.</summary>
public abstract class GrainStorageTests(ClusterFixture fixture)
{
    private IGrainStorage Storage => ((Orleans.TestingHost.InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider
        .GetRequiredKeyedService<IGrainStorage>("Default");

    private static GrainState<EmailIndexState> State(string owner, string? etag) => new(new EmailIndexState { OwnerId = owner }) { ETag = etag };

    [Fact]
    public async Task Write_InsertThenUpdates_BumpsTheVersionAndReadsBack()
    {
        var id = GrainId.Create("storage-test", Guid.NewGuid().ToString("N"));
        var state = State("first", null);

        await Storage.WriteStateAsync("storage-test", id, state);
        var afterInsert = state.ETag;
        state.State!.OwnerId = "second";
        await Storage.WriteStateAsync("storage-test", id, state);
        var read = State("", null);
        await Storage.ReadStateAsync("storage-test", id, read);

        Assert.Equal("1", afterInsert);
        Assert.Equal("2", state.ETag);
        Assert.Equal("second", read.State!.OwnerId);
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
        Assert.Equal("winner", read.State!.OwnerId);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task Read_UnknownGrain_IsEmptyWithoutVersion()
    {
        var read = State("untouched", null);

        await Storage.ReadStateAsync("storage-test", GrainId.Create("storage-test", Guid.NewGuid().ToString("N")), read);

        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);
    }
}

[Collection(ClusterCollection.Name)]
public sealed class SqliteGrainStorageTests(SqliteClusterFixture fixture) : GrainStorageTests(fixture);

[Collection(PostgreSqlClusterCollection.Name)]
public sealed class PostgreSqlGrainStorageTests(PostgreSqlClusterFixture fixture) : GrainStorageTests(fixture);
