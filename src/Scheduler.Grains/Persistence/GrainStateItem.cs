using System.Data;
using System.Data.Common;
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

    // The version the rows were sent with, when they went in the write's own round trip.
    private int? _expected;

    // Set when a guessed version proved wrong: the write is then sent alone first.
    private bool _cautious;

    public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal override string Table => "OrleansStorage";

    internal override void Apply(ReadModelSession session)
    {
        _expected = null;
        var key = clear ? "ClearStorageKey" : "WriteToStorageKey";
        if (session.Defers && !_cautious && rows is not null)
        {
            // One round trip for the whole change: its rows are bound to the version the write gives when it wins (the
            // version read, plus one), and checked against it once the round trip is back (Settled); by the server,
            // when that round trip commits.
            var expected = (row.GrainStateVersion ?? 0) + 1;
            _expected = expected;
            var command = session.CommitsWithFlush
                ? Bind(session, "checked " + key, () => session.Database.CheckedStateWrite(Statement(session, key)))
                : Bind(session, key, () => Statement(session, key));
            if (session.CommitsWithFlush)
            {
                command.Add("@ExpectedVersion", expected, DbType.Int32);
            }
            session.ExecuteForValue(command, value => _version = Version(value));
            rows(expected).ApplyAll(session);
            return;
        }
        _version = Version(session.Scalar(Bind(session, key, () => Statement(session, key))));
        if (_version is { } stored && rows is not null)
        {
            rows(stored).ApplyAll(session);
        }
    }

    // The statement, read once per connection, with this write bound to it.
    private DbCommand Bind(ReadModelSession session, string name, Func<string> sql)
    {
        if (!session.StateStatements.TryGetValue(name, out var text))
        {
            session.StateStatements[name] = text = sql();
        }
        var command = session.Command(text);
        row.Key.Bind(command);
        command.Add("@GrainStateVersion", row.GrainStateVersion, DbType.Int32);
        if (!clear)
        {
            command.Add("@PayloadBinary", row.PayloadBinary, DbType.Binary);
        }
        return command;
    }

    internal override bool StatementsThroughSession => true;

    internal override bool Settled()
    {
        if (_expected is null || _version == _expected)
        {
            return true;
        }
        // The write lost a race (no version) or the guess was wrong: the item is sent again, the write first and
        // alone, and its rows only if it won.
        _cautious = true;
        return false;
    }

    private static int? Version(object? value) => value is null or DBNull ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture);

    internal override void Complete() => Done.TrySetResult(_version);

    internal override void Fail(Exception error) => Done.TrySetException(error);

    // The stored query sets the sync mode of the provider's pooled connections (SQLite); the writer's connection has it.
    private static string Statement(ReadModelSession session, string key) => Pragmas().Replace(session.StoredQuery(key), "").Trim();

    [GeneratedRegex(@"PRAGMA\s+synchronous\s*=\s*\w+\s*;", RegexOptions.IgnoreCase)]
    private static partial Regex Pragmas();
}
