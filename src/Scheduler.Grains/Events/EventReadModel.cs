using System.Data.Common;
using System.Text;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Search;

namespace Scheduler.Grains.Events;

/// <summary>The <c>interview_events</c> table: written by the event grain, read by queries.</summary>
public static class EventReadModel
{
    internal const string Columns = """
        e.id, e.interviewer_id, e.title, e.candidate_name, e.candidate_email, e.starts_at, e.ends_at, e.timezone, e.location,
        e.meeting_url, e.notes, e.status, e.cancellation_reason, e.created_by, e.created_at, e.updated_at, e.version
        """;

    public static IReadModelChange Projection(InterviewEvent interviewEvent, bool deleted, long storageVersion) =>
        new EventRow(interviewEvent, deleted, storageVersion);

    /// <param name="countTotal">False: the page's total is -1 (an export's batches skip the count).</param>
    public static Task<Page<InterviewEvent>> List(ReadModelQueries queries, EventQuery query, bool countTotal = true) => queries.RunAsync(async session =>
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var where = new StringBuilder("WHERE e.deleted = 0");
        if (query.InterviewerId is { } interviewerId)
        {
            where.Append(" AND e.interviewer_id = @interviewerId");
            parameters["@interviewerId"] = interviewerId;
        }
        if (query.From is { } from)
        {
            where.Append(" AND e.ends_at > @from");
            parameters["@from"] = SqlTime.ToText(from);
        }
        if (query.To is { } to)
        {
            where.Append(" AND e.starts_at < @to");
            parameters["@to"] = SqlTime.ToText(to);
        }
        if (query.Status is { } status)
        {
            where.Append(" AND e.status = @status");
            parameters["@status"] = status.WireName();
        }
        if (query.CandidateEmail is { } email)
        {
            where.Append(" AND e.candidate_email_norm = @email");
            parameters["@email"] = EmailIndex.Normalize(email);
        }
        // The title weighs most in the ranking, then the candidate's name, email, and the notes.
        var search = TextSearch.For(session.Database, "interview_events", "e", query.Text, "10.0, 8.0, 4.0, 1.0", parameters);
        where.Append(search?.Condition);
        var source = search?.From ?? "interview_events e";

        var kept = query is { InterviewerId: null, From: null, To: null, CandidateEmail: null, Text: null or "" }
            ? session.Database.KeptTotalSql("event_totals", query.Status is not null)
            : null;
        // A search and nothing else: the index holds exactly the live rows, so it answers without joining every match.
        var indexOnly = query is { InterviewerId: null, From: null, To: null, Status: null, CandidateEmail: null } ? search : null;
        // Bound now, run in the page's round trip.
        var count = countTotal
            ? session.Command(kept ?? indexOnly?.IndexCount ?? $"SELECT count(*) FROM {source} {where}", parameters)
            : null;

        var direction = query.Descending ? "DESC" : "ASC";
        var (column, keyOf) = SortKey(query.Sort);
        var bestMatch = query.BestMatch && search is not null;
        if (query.After is { } after && !bestMatch)
        {
            // After the cursor's row in the order: inserts before it shift nothing.
            where.Append(Keyset.After($"e.{column}", "@afterKey", "e.id", query.Descending));
            parameters["@afterKey"] = after.Key;
            parameters["@afterId"] = after.Id;
        }
        var order = bestMatch ? $"{search!.Rank}, e.id" : $"e.{column} {direction}, e.id {direction}";
        parameters["@limit"] = query.Limit + 1;
        parameters["@offset"] = query.After is null ? query.Offset : 0;
        var command = session.Command(
            (bestMatch ? indexOnly?.IndexRanked(Columns, "interview_events", "e") : null)
                ?? $"SELECT {Columns} FROM {source} {where} ORDER BY {order} LIMIT @limit OFFSET @offset", parameters);
        var items = new List<InterviewEvent>(Math.Min(query.Limit + 1, 1001));
        var total = -1L;
        if (count is not null)
        {
            total = await session.CountAndReadAsync(count, command, reader => items.Add(Read(reader)));
        }
        else
        {
            await using var reader = await session.QueryAsync(command);
            while (await reader.ReadAsync())
            {
                items.Add(Read(reader));
            }
        }
        var more = items.Count > query.Limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }
        var orderName = (query.Descending ? "-" : "") + WireNames.EventSorts.Name(query.Sort);
        var next = more && !bestMatch ? new PageCursor(orderName, keyOf(items[^1]), items[^1].Id) : null;
        return new Page<InterviewEvent>(items, total, query.Limit, query.After is null ? query.Offset : 0, next, more);
    });

    /// <summary>The interviewer's booked interviews that end after <paramref name="now"/>, by start, in the caller's transaction.</summary>
    public static List<InterviewEvent> Upcoming(ReadModelSession session, string interviewerId, DateTimeOffset now)
    {
        var command = session.Command($"""
            SELECT {Columns} FROM interview_events e
            WHERE e.interviewer_id = @interviewer AND e.deleted = 0 AND e.status = @status AND e.ends_at > @now ORDER BY e.starts_at
            """);
        command.Add("@interviewer", interviewerId).Add("@status", EventStatus.Scheduled.WireName()).Add("@now", SqlTime.ToText(now));
        var upcoming = new List<InterviewEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            upcoming.Add(Read(reader));
        }
        return upcoming;
    }

    /// <summary>The event in the current row of a query that selected <see cref="Columns"/> (table alias e) first.</summary>
    internal static InterviewEvent Read(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        new Slot(SqlTime.FromText(reader.GetString(5)), SqlTime.FromText(reader.GetString(6))),
        reader.GetString(7), reader.NullableString(8), reader.NullableString(9), reader.NullableString(10),
        WireNames.EventStatuses.TryParse(reader.GetString(11), out var rowStatus) ? rowStatus : EventStatus.Completed,
        reader.NullableString(12), reader.GetString(13), SqlTime.FromText(reader.GetString(14)), SqlTime.FromText(reader.GetString(15)),
        reader.GetInt64(16));

    /// <summary>The column a sort orders by, and the value of that column for a row (what a cursor carries).</summary>
    private static (string Column, Func<InterviewEvent, string> Key) SortKey(EventSort sort) => sort switch
    {
        EventSort.CreatedAt => ("created_at", e => SqlTime.ToText(e.CreatedAt)),
        EventSort.UpdatedAt => ("updated_at", e => SqlTime.ToText(e.UpdatedAt)),
        _ => ("starts_at", e => SqlTime.ToText(e.Slot.StartsAt)),
    };


    private sealed record EventRow(InterviewEvent Event, bool Deleted, long StorageVersion) : IReadModelChange
    {
        private const string UpsertSql = """
            INSERT INTO interview_events (id, interviewer_id, title, candidate_name, candidate_email, candidate_email_norm, starts_at, ends_at,
                timezone, location, meeting_url, notes, status, cancellation_reason, created_by, created_at, updated_at, version, storage_version, deleted)
            VALUES (@id, @interviewerId, @title, @candidateName, @candidateEmail, @candidateEmailNorm, @startsAt, @endsAt,
                @timezone, @location, @meetingUrl, @notes, @status, @reason, @createdBy, @createdAt, @updatedAt, @version, @storageVersion, @deleted)
            ON CONFLICT (id) DO UPDATE SET
                interviewer_id = excluded.interviewer_id, title = excluded.title, candidate_name = excluded.candidate_name,
                candidate_email = excluded.candidate_email, candidate_email_norm = excluded.candidate_email_norm,
                starts_at = excluded.starts_at, ends_at = excluded.ends_at, timezone = excluded.timezone, location = excluded.location,
                meeting_url = excluded.meeting_url, notes = excluded.notes, status = excluded.status,
                cancellation_reason = excluded.cancellation_reason, created_by = excluded.created_by, created_at = excluded.created_at,
                updated_at = excluded.updated_at, version = excluded.version, storage_version = excluded.storage_version, deleted = excluded.deleted
            WHERE excluded.storage_version > interview_events.storage_version
            """;

        public void Apply(ReadModelSession session)
        {
            var command = session.Command(UpsertSql);
            var e = Event;
            command.Add("@id", e.Id);
            command.Add("@interviewerId", e.InterviewerId);
            command.Add("@title", e.Title);
            command.Add("@candidateName", e.CandidateName);
            command.Add("@candidateEmail", e.CandidateEmail);
            command.Add("@candidateEmailNorm", EmailIndex.Normalize(e.CandidateEmail));
            command.Add("@startsAt", SqlTime.ToText(e.Slot.StartsAt));
            command.Add("@endsAt", SqlTime.ToText(e.Slot.EndsAt));
            command.Add("@timezone", e.Timezone);
            command.Add("@location", e.Location);
            command.Add("@meetingUrl", e.MeetingUrl);
            command.Add("@notes", e.Notes);
            command.Add("@status", e.Status.WireName());
            command.Add("@reason", e.CancellationReason);
            command.Add("@createdBy", e.CreatedBy);
            command.Add("@createdAt", SqlTime.ToText(e.CreatedAt));
            command.Add("@updatedAt", SqlTime.ToText(e.UpdatedAt));
            command.Add("@version", e.Version);
            command.Add("@storageVersion", StorageVersion);
            command.Add("@deleted", Deleted ? 1 : 0);
            session.Execute(command);
        }
    }
}
