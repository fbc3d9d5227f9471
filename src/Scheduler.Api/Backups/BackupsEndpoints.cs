using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Authorization;
using Scheduler.Api.OpenApi;
using Scheduler.Backups;

namespace Scheduler.Api.Backups;

/// <summary>A verified backup, as its manifest describes it.</summary>
public sealed record BackupResponse(
    string Name, DateTime CreatedAt, long SizeBytes, string Sha256, IReadOnlyDictionary<string, long> RowCounts, string IntegrityCheck, double DurationMs)
{
    public static BackupResponse From(BackupManifest m) =>
        new(m.Name, m.CreatedAt.UtcDateTime, m.SizeBytes, m.Sha256, m.RowCounts, m.IntegrityCheck, m.DurationMs);
}

public sealed record BackupListResponse(IReadOnlyList<BackupResponse> Data);

public static class BackupsEndpoints
{
    public static RouteGroupBuilder MapBackupsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/backups").WithTags("Backups").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListBackups").WithSummary("The database's verified backups, newest first");
        group.MapPost("/", Start).WithName("StartBackup")
            .WithSummary("Take a backup now (online, verified with PRAGMA integrity_check); answers its manifest")
            .Conflicts("backups_unavailable");
        return group;
    }

    public static async Task<Ok<BackupListResponse>> List(IGrainFactory grains) =>
        TypedResults.Ok(new BackupListResponse([.. (await grains.GetGrain<IBackupGrain>(0).List()).Select(BackupResponse.From)]));

    // 200, not 201: a backup is a file in the backup folder, not a resource the API serves.
    public static async Task<Ok<BackupResponse>> Start(IGrainFactory grains) =>
        TypedResults.Ok(BackupResponse.From(await grains.GetGrain<IBackupGrain>(0).Start()));
}
