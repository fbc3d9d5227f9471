using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Scheduler.Common;
using Scheduler.Grains.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.Tests.Persistence;

/// <summary>What the writer logs (a failed batch, a failed write; a refused claim is not logged).</summary>
internal sealed class WriterLog : ILogger<DatabaseWriter>
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue($"{logLevel}: {formatter(state, exception)} {exception?.Message}");
}

/// <summary>
/// A grain-state row of its own key at <see cref="Version"/> (null: a new grain), written with its owner's claim on
/// <see cref="Email"/>.
/// </summary>
internal sealed record WriterTestItem(Guid Key, string Owner, string Email, int? Version = null, bool RowsOnly = false)
{
    public GrainStateRow Row => new(new GrainStateKey(Key.GetHashCode(), BitConverter.ToInt64(Key.ToByteArray(), 0),
        BitConverter.ToInt64(Key.ToByteArray(), 8), 1234, "writer-test", null, "writer-tests"), Version, [1, 2, 3]);
}

/// <summary>
/// The writer's span of each item (one per item, opened when its batch is taken, tagged with the batch's size when
/// it closes), told apart by the parent span each write is made under; spans of other tests are not recorded.
/// </summary>
internal sealed class BatchSpans : IDisposable
{
    private readonly ActivityTraceId _trace = ActivityTraceId.CreateRandom();
    private readonly ConcurrentDictionary<ActivitySpanId, int> _sizes = new();
    private readonly ConcurrentDictionary<ActivitySpanId, bool> _whole = new();
    private readonly Dictionary<WriterTestItem, ActivitySpanId> _parents = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActivityListener _listener;

    public BatchSpans()
    {
        _listener = new ActivityListener
        {
            // By name: the source may be created after this listener, and its static field is unset while it is.
            ShouldListenTo = source => source.Name == SchedulerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceId == _trace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStarted = activity =>
            {
                if (activity.TraceId == _trace)
                {
                    _started.TrySetResult();
                }
            },
            ActivityStopped = activity =>
            {
                if (activity.TraceId == _trace && activity.GetTagItem("scheduler.batch.size") is int size)
                {
                    _whole[activity.ParentSpanId] = activity.GetTagItem("scheduler.batch.whole") is true;
                    _sizes[activity.ParentSpanId] = size;
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Completed once the writer has taken the first item written.</summary>
    public Task Started => _started.Task;

    /// <summary>Hands <paramref name="item"/> to the writer under a parent span of its own.</summary>
    public Task<int?> Write(DatabaseWriter writer, WriterTestItem item)
    {
        // The writer takes Activity.Current as the parent of the item's span.
        using var parent = new Activity("writer-test").SetParentId(_trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();
        _parents[item] = parent.SpanId;
        var claim = EmailClaims.Claim(EmailOwnerKind.Interviewer, item.Owner, item.Email);
        return item.RowsOnly ? Applied(writer.Apply([claim])) : writer.Write(item.Row, clear: false, _ => [claim]);
    }

    private static async Task<int?> Applied(Task applying)
    {
        await applying;
        return 1;
    }

    /// <summary>The size of the batch each item was committed in, once every item's span has closed.</summary>
    public async Task<int[]> BatchSizes(WriterTestItem[] items)
    {
        while (items.Any(item => !_sizes.ContainsKey(_parents[item])))
        {
            await Task.Delay(10);
        }
        return [.. items.Select(item => _sizes[_parents[item]])];
    }

    /// <summary>Whether the batch of <paramref name="item"/> went in one round trip (after <see cref="BatchSizes"/>).</summary>
    public bool Whole(WriterTestItem item) => _whole[_parents[item]];

    public void Dispose() => _listener.Dispose();
}
