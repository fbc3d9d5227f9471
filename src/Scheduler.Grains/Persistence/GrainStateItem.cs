using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Scheduler.Grains.Persistence;

/// <summary>
/// A grain-state write or clear in the <see cref="DatabaseWriter"/>'s transaction, through the storage's own
/// <c>WriteToStorageKey</c> / <c>ClearStorageKey</c> statement, read from <c>OrleansQuery</c> so that the provider and
/// the writer share one definition, followed by the rows the change commits with it (<see cref="CommitRows"/>). Its
/// result is the row's new version, or null when the version check failed (and then nothing else is written).
/// </summary>
internal sealed partial class GrainStateItem(
    GrainStateRow row, bool clear, Func<long, IReadOnlyList<IReadModelChange>>? rows, ActivityContext parent) : WriteItem(parent)
{
    private int? _version;

    public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal override string Table => "OrleansStorage";

    internal override void Apply(ReadModelSession session)
    {
        var command = clear
            ? session.Command(session.StateClearSql ??= Statement(session, "ClearStorageKey"))
            : session.Command(session.StateUpsertSql ??= Statement(session, "WriteToStorageKey"));
        row.Key.Bind(command);
        command.Add("@GrainStateVersion", row.GrainStateVersion, DbType.Int32);
        if (!clear)
        {
            command.Add("@PayloadBinary", row.PayloadBinary, DbType.Binary);
        }
        var version = session.Scalar(command);
        _version = version is null or DBNull ? null : Convert.ToInt32(version, CultureInfo.InvariantCulture);
        if (_version is { } stored && rows is not null)
        {
            foreach (var change in rows(stored))
            {
                change.Apply(session);
            }
        }
    }

    internal override bool StatementsThroughSession => true;

    internal override void Complete() => Done.TrySetResult(_version);

    internal override void Fail(Exception error) => Done.TrySetException(error);

    // The stored query sets the sync mode of the provider's pooled connections (SQLite); the writer's connection has it.
    private static string Statement(ReadModelSession session, string key) => Pragmas().Replace(session.StoredQuery(key), "").Trim();

    [GeneratedRegex(@"PRAGMA\s+synchronous\s*=\s*\w+\s*;", RegexOptions.IgnoreCase)]
    private static partial Regex Pragmas();
}
