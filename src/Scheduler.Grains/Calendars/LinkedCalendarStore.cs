using System.Data.Common;
using Scheduler.Calendars;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Calendars;

/// <summary>A linked calendar as the sync needs it: where to fetch, the protected credential, the last version read.</summary>
public sealed record SyncTarget(string Id, string InterviewerId, string Kind, string Url, string Auth, string? Credential, string? VersionTag, int Failures);

/// <summary>The <c>linked_calendars</c> table: writes through the writer, reads on the query connections.</summary>
public static class LinkedCalendarStore
{
    private const string Columns = """
        id, interviewer_id, kind, url, name, auth, created_at, last_synced_at, last_attempt_at, last_error, busy_count, write_back, last_pushed_at,
        last_push_error
        """;

    public static Task Insert(DatabaseWriter writer, LinkedCalendar calendar, string? credential) => writer.Run(session =>
    {
        var insert = session.Command("""
            INSERT INTO linked_calendars (id, interviewer_id, kind, url, name, auth, credential, created_at, busy_count, failures, next_sync_at, write_back)
            VALUES (@id, @interviewer, @kind, @url, @name, @auth, @credential, @createdAt, 0, 0, @createdAt, @writeBack)
            """);
        insert.Add("@id", calendar.Id);
        insert.Add("@interviewer", calendar.InterviewerId);
        insert.Add("@kind", calendar.Kind);
        insert.Add("@url", calendar.Url);
        insert.Add("@name", calendar.Name);
        insert.Add("@auth", calendar.Auth);
        insert.Add("@credential", credential);
        insert.Add("@createdAt", SqlTime.ToText(calendar.CreatedAt));
        insert.Add("@writeBack", calendar.WriteBack ? 1 : 0);
        var inserted = insert.ExecuteNonQuery();
        if (calendar.WriteBack)
        {
            CalendarPushStore.QueueUpcoming(session, calendar.Id, calendar.InterviewerId, calendar.CreatedAt);
        }
        return inserted;
    });

    public static Task<bool> Delete(DatabaseWriter writer, string interviewerId, string id) => writer.Run(session =>
    {
        var delete = session.Command("DELETE FROM linked_calendars WHERE id = @id AND interviewer_id = @interviewer");
        delete.Add("@id", id);
        delete.Add("@interviewer", interviewerId);
        if (delete.ExecuteNonQuery() != 1)
        {
            return false;
        }
        // Nothing is written to a calendar once it is unlinked (what was written stays there).
        var pushes = session.Command("DELETE FROM calendar_pushes WHERE calendar_id = @id");
        pushes.Add("@id", id);
        pushes.ExecuteNonQuery();
        return true;
    });

    /// <summary>A sync that worked; a null <paramref name="busyCount"/> keeps the count (the calendar had not changed).</summary>
    public static Task Succeeded(DatabaseWriter writer, string id, DateTimeOffset at, int? busyCount, string? versionTag, DateTimeOffset next) =>
        writer.Run(session =>
        {
            var update = session.Command("""
                UPDATE linked_calendars SET last_synced_at = @at, last_attempt_at = @at, last_error = NULL, busy_count = COALESCE(@busy, busy_count),
                    failures = 0, version_tag = @tag, next_sync_at = @next WHERE id = @id
                """);
            update.Add("@id", id);
            update.Add("@at", SqlTime.ToText(at));
            update.Add("@busy", busyCount, System.Data.DbType.Int32);
            update.Add("@tag", versionTag);
            update.Add("@next", SqlTime.ToText(next));
            return update.ExecuteNonQuery();
        });

    public static Task Failed(DatabaseWriter writer, string id, DateTimeOffset at, string error, int failures, DateTimeOffset next) =>
        writer.Run(session =>
        {
            var update = session.Command("""
                UPDATE linked_calendars SET last_attempt_at = @at, last_error = @error, failures = @failures, next_sync_at = @next WHERE id = @id
                """);
            update.Add("@id", id);
            update.Add("@at", SqlTime.ToText(at));
            update.Add("@error", error);
            update.Add("@failures", failures);
            update.Add("@next", SqlTime.ToText(next));
            return update.ExecuteNonQuery();
        });

    /// <summary>
    /// Takes the calendar's due sync for this silo until <paramref name="until"/>: one conditional update, so that of
    /// all the silos polling, exactly one gets it.
    /// </summary>
    public static Task<bool> Claim(DatabaseWriter writer, string id, DateTimeOffset now, DateTimeOffset until) => writer.Run(session =>
    {
        var claim = session.Command("UPDATE linked_calendars SET next_sync_at = @until WHERE id = @id AND next_sync_at <= @now");
        claim.Add("@id", id);
        claim.Add("@now", SqlTime.ToText(now));
        claim.Add("@until", SqlTime.ToText(until));
        return claim.ExecuteNonQuery() == 1;
    });

    public static Task<IReadOnlyList<LinkedCalendar>> List(ReadModelQueries queries, string interviewerId) =>
        queries.RunAsync<IReadOnlyList<LinkedCalendar>>(async session =>
        {
            var command = session.Command($"SELECT {Columns} FROM linked_calendars WHERE interviewer_id = @interviewer ORDER BY created_at, id");
            command.Add("@interviewer", interviewerId);
            var list = new List<LinkedCalendar>();
            await using var reader = await session.QueryAsync(command);
            while (await reader.ReadAsync())
            {
                list.Add(Read(reader));
            }
            return list;
        });

    public static Task<SyncTarget?> Target(ReadModelQueries queries, string id) =>
        queries.RunAsync(async session =>
        {
            var command = session.Command("""
                SELECT id, interviewer_id, kind, url, auth, credential, version_tag, failures FROM linked_calendars WHERE id = @id
                """);
            command.Add("@id", id);
            await using var reader = await session.QueryAsync(command);
            return await reader.ReadAsync()
                ? new SyncTarget(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.NullableString(5), reader.NullableString(6), reader.GetInt32(7))
                : null;
        });

    /// <summary>The ids of the calendars whose next sync has come, the longest waiting first.</summary>
    public static Task<IReadOnlyList<string>> Due(ReadModelQueries queries, DateTimeOffset now, int limit) =>
        queries.RunAsync<IReadOnlyList<string>>(async session =>
        {
            var command = session.Command("SELECT id FROM linked_calendars WHERE next_sync_at <= @now ORDER BY next_sync_at LIMIT @limit");
            command.Add("@now", SqlTime.ToText(now));
            command.Add("@limit", limit);
            var ids = new List<string>();
            await using var reader = await session.QueryAsync(command);
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
            return ids;
        });

    private static LinkedCalendar Read(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.NullableString(4), reader.GetString(5),
        SqlTime.FromText(reader.GetString(6)), Time(reader.NullableString(7)), Time(reader.NullableString(8)),
        reader.NullableString(9), reader.GetInt32(10), reader.GetInt32(11) == 1, Time(reader.NullableString(12)), reader.NullableString(13));

    private static DateTimeOffset? Time(string? text) => text is null ? null : SqlTime.FromText(text);
}
