using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// A grain-state write in the <see cref="DatabaseWriter"/>'s transaction (SQLite), through the storage's own
/// <c>WriteToStorageKey</c> statement, read from <c>OrleansQuery</c> so that the provider and the writer share one
/// definition. Its result is the row's new version, or null when the version check failed.
/// </summary>
internal sealed partial class GrainStateItem(GrainStateRow row, ActivityContext parent) : WriteItem(parent)
{
    private int? _version;

    public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal override string Table => "OrleansStorage";

    internal override void Apply(ReadModelSession session)
    {
        var command = session.Command(session.StateUpsertSql ??= UpsertSql(session));
        row.Key.Bind(command);
        command.Add("@GrainStateVersion", row.GrainStateVersion);
        command.Add("@PayloadBinary", row.PayloadBinary);
        var version = command.ExecuteScalar();
        _version = version is null or DBNull ? null : Convert.ToInt32(version, CultureInfo.InvariantCulture);
    }

    internal override void Complete() => Done.TrySetResult(_version);

    internal override void Fail(Exception error) => Done.TrySetException(error);

    // The stored query sets the sync mode of the provider's pooled connections; the writer's connection has it.
    private static string UpsertSql(ReadModelSession session) => Pragmas().Replace(session.StoredQuery("WriteToStorageKey"), "").Trim();

    [GeneratedRegex(@"PRAGMA\s+synchronous\s*=\s*\w+\s*;", RegexOptions.IgnoreCase)]
    private static partial Regex Pragmas();
}
