using System.Runtime.CompilerServices;
using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Exports;

/// <summary>One batch of an export, in the list's key order, and where the next one starts (null: it was the last).</summary>
[GenerateSerializer, Immutable]
public sealed record ExportBatch<T>(IReadOnlyList<T> Items, PageCursor? Next);

/// <summary>
/// Reads whole lists for exports, a batch per call, each batch after the previous one's last row (keyset, not offset):
/// no call holds a database reader open between batches, and each batch is bounded (<see cref="ExportReads.BatchSize"/>).
/// The batches skip the count a list page pays for. Use key 0; read through <see cref="ExportReads"/>.
/// </summary>
public interface IExportQueryGrain : IGrainWithIntegerKey
{
    /// <summary>The events after <see cref="EventQuery.After"/> in the query's key order, at most its limit.</summary>
    Task<ExportBatch<InterviewEvent>> Interviews(EventQuery query);

    /// <summary>The interviewers after <see cref="InterviewerQuery.After"/> in the query's key order, at most its limit.</summary>
    Task<ExportBatch<Interviewer>> Interviewers(InterviewerQuery query);

    /// <summary>The audit entries after <paramref name="after"/>, newest first, at most the query's limit.</summary>
    Task<ExportBatch<AuditEntry>> AuditLogs(AuditQuery query, PageCursor? after);
}

/// <summary>A whole list as an asynchronous sequence, read batch by batch as the consumer asks for rows.</summary>
public static class ExportReads
{
    public const int BatchSize = 1000;

    /// <summary>Every event the query's filters select, in its sort order (a best-match search is read in key order).</summary>
    public static IAsyncEnumerable<InterviewEvent> ExportInterviews(this IGrainFactory grains, EventQuery query, CancellationToken cancellation) =>
        Read(after => grains.GetGrain<IExportQueryGrain>(0).Interviews(query with { Limit = BatchSize, Offset = 0, After = after, BestMatch = false }),
            cancellation);

    public static IAsyncEnumerable<Interviewer> ExportInterviewers(this IGrainFactory grains, InterviewerQuery query, CancellationToken cancellation) =>
        Read(after => grains.GetGrain<IExportQueryGrain>(0).Interviewers(query with { Limit = BatchSize, Offset = 0, After = after, BestMatch = false }),
            cancellation);

    public static IAsyncEnumerable<AuditEntry> ExportAuditLogs(this IGrainFactory grains, AuditQuery query, CancellationToken cancellation) =>
        Read(after => grains.GetGrain<IExportQueryGrain>(0).AuditLogs(query with { Limit = BatchSize, Offset = 0 }, after), cancellation);

    private static async IAsyncEnumerable<T> Read<T>(Func<PageCursor?, Task<ExportBatch<T>>> batch,
        [EnumeratorCancellation] CancellationToken cancellation)
    {
        PageCursor? after = null;
        do
        {
            cancellation.ThrowIfCancellationRequested();
            var next = await batch(after);
            foreach (var item in next.Items)
            {
                yield return item;
            }
            after = next.Next;
        }
        while (after is not null);
    }
}
