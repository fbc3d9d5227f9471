using System.Text.Json;
using Scheduler.Calendars;
using Scheduler.Grains.Events;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Calendars;

public static class CalendarPushOps
{
    public const string Put = "put";
    public const string Delete = "delete";
}

/// <summary>A push due now, with the calendar it goes to.</summary>
public sealed record DuePush(
    string CalendarId, string InterviewId, string Op, long Version, string Data, string? ETag, int Attempts, string Url, string Auth, string? Credential);

/// <summary>The <c>calendar_pushes</c> table: what each write-back calendar should hold of each interview.</summary>
public static class CalendarPushStore
{
    /// <summary>
    /// The push of <paramref name="op"/> for <paramref name="version"/> of an interview to a calendar; it replaces an
    /// older version's (done or not), never a newer one's, so dispatching an event twice or out of turn changes nothing.
    /// </summary>
    public static IReadModelChange Queue(string calendarId, string interviewId, string op, long version, string data, DateTimeOffset at) =>
        new QueueRow(calendarId, interviewId, op, version, data, at);

    /// <summary>
    /// The PUT of each of the interviewer's booked interviews not yet over to a newly linked write-back calendar, in the
    /// transaction that links it. Together with the planner, which queues every change dispatched after that commit,
    /// the calendar receives every upcoming interview: one committed before the link is in the projection read here.
    /// </summary>
    public static void QueueUpcoming(ReadModelSession session, string calendarId, string interviewerId, DateTimeOffset now)
    {
        // Read whole before the inserts: the reader and the statements share the transaction's connection.
        foreach (var interview in EventReadModel.Upcoming(session, interviewerId, now))
        {
            var data = JsonSerializer.Serialize(interview, NotificationJson.Default.InterviewEvent);
            Queue(calendarId, interview.Id, CalendarPushOps.Put, interview.Version, data, now).Apply(session);
        }
    }

    /// <summary>The write-back calendars of the interviewers.</summary>
    public static Task<IReadOnlyList<string>> WriteBackCalendars(ReadModelQueries queries, string interviewerId) =>
        queries.RunAsync<IReadOnlyList<string>>(async session =>
        {
            var command = session.Command("SELECT id FROM linked_calendars WHERE interviewer_id = @id AND write_back = 1 AND kind = @kind ORDER BY id");
            command.Add("@id", interviewerId);
            command.Add("@kind", LinkedCalendarKinds.CalDav);
            var ids = new List<string>();
            await using var reader = await session.QueryAsync(command);
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
            return ids;
        });

    public static Task<IReadOnlyList<DuePush>> Due(ReadModelQueries queries, DateTimeOffset now, int limit) =>
        queries.RunAsync<IReadOnlyList<DuePush>>(async session =>
        {
            var command = session.Command("""
                SELECT p.calendar_id, p.interview_id, p.op, p.version, p.data, p.etag, p.attempts, l.url, l.auth, l.credential
                FROM calendar_pushes p JOIN linked_calendars l ON l.id = p.calendar_id
                WHERE p.status = 'pending' AND p.next_attempt_at <= @now ORDER BY p.next_attempt_at LIMIT @limit
                """);
            command.Add("@now", SqlTime.ToText(now));
            command.Add("@limit", limit);
            var due = new List<DuePush>();
            await using var reader = await session.QueryAsync(command);
            while (await reader.ReadAsync())
            {
                due.Add(new DuePush(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                    reader.NullableString(5), reader.GetInt32(6), reader.GetString(7), reader.GetString(8), reader.NullableString(9)));
            }
            return due;
        });

    /// <summary>
    /// Records a push that worked: done unless a newer version replaced it meanwhile (then only the resource's new
    /// entity tag is kept, for that version's If-Match).
    /// </summary>
    public static void Succeeded(ReadModelSession session, DuePush push, string? etag, DateTimeOffset at)
    {
        var done = session.Command("""
            UPDATE calendar_pushes SET status = 'done', etag = @etag, last_error = NULL, updated_at = @at
            WHERE calendar_id = @calendar AND interview_id = @interview AND version = @version
            """);
        Key(done, push).Add("@etag", etag, System.Data.DbType.String).Add("@version", push.Version).Add("@at", SqlTime.ToText(at));
        if (done.ExecuteNonQuery() == 0)
        {
            var tag = session.Command("UPDATE calendar_pushes SET etag = @etag WHERE calendar_id = @calendar AND interview_id = @interview");
            Key(tag, push).Add("@etag", etag, System.Data.DbType.String).ExecuteNonQuery();
        }
        var calendar = session.Command("UPDATE linked_calendars SET last_pushed_at = @at, last_push_error = NULL WHERE id = @calendar");
        calendar.Add("@calendar", push.CalendarId).Add("@at", SqlTime.ToText(at)).ExecuteNonQuery();
    }

    /// <summary>Records a failed push, retried at <paramref name="retryAt"/>; the error is shown on the linked calendar.</summary>
    public static void Failed(ReadModelSession session, DuePush push, string error, DateTimeOffset at, DateTimeOffset retryAt)
    {
        var failed = session.Command("""
            UPDATE calendar_pushes SET attempts = attempts + 1, next_attempt_at = @retryAt, last_error = @error, updated_at = @at
            WHERE calendar_id = @calendar AND interview_id = @interview AND version = @version
            """);
        Key(failed, push).Add("@version", push.Version).Add("@error", error).Add("@at", SqlTime.ToText(at)).Add("@retryAt", SqlTime.ToText(retryAt))
            .ExecuteNonQuery();
        var calendar = session.Command("UPDATE linked_calendars SET last_push_error = @error WHERE id = @calendar");
        calendar.Add("@calendar", push.CalendarId).Add("@error", error).ExecuteNonQuery();
    }

    private static System.Data.Common.DbCommand Key(System.Data.Common.DbCommand command, DuePush push) =>
        command.Add("@calendar", push.CalendarId).Add("@interview", push.InterviewId);

    private sealed record QueueRow(string CalendarId, string InterviewId, string Op, long Version, string Data, DateTimeOffset At) : IReadModelChange
    {
        private const string Sql = """
            INSERT INTO calendar_pushes (calendar_id, interview_id, op, version, data, status, etag, attempts, next_attempt_at, last_error, updated_at)
            VALUES (@calendar, @interview, @op, @version, @data, 'pending', NULL, 0, @at, NULL, @at)
            ON CONFLICT (calendar_id, interview_id) DO UPDATE SET op = excluded.op, version = excluded.version, data = excluded.data,
                status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = NULL, updated_at = excluded.updated_at
            WHERE calendar_pushes.version < excluded.version
            """;

        public void Apply(ReadModelSession session)
        {
            var command = session.Command(Sql);
            command.Add("@calendar", CalendarId);
            command.Add("@interview", InterviewId);
            command.Add("@op", Op);
            command.Add("@version", Version);
            command.Add("@data", Data);
            command.Add("@at", SqlTime.ToText(At));
            session.Execute(command);
        }
    }
}
