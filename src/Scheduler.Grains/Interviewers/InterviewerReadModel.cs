using System.Data.Common;
using System.Text;
using System.Text.Json;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Search;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Interviewers;

/// <summary>
/// The <c>interviewers</c> and <c>interviewer_skills</c> tables: written by the grain, read by queries. A skill row carries
/// its interviewer's status too (rewritten with the row), so that a skill filter's total is counted from one index.
/// </summary>
public static class InterviewerReadModel
{
    public static IReadModelChange Projection(Interviewer interviewer, bool deleted, long storageVersion) =>
        new InterviewerRow(interviewer, deleted, storageVersion);

    /// <param name="countTotal">False: the page's total is -1 (an export's batches skip the count).</param>
    public static Task<Page<Interviewer>> List(ReadModelQueries queries, InterviewerQuery query, bool countTotal = true) => queries.RunAsync(async session =>
    {
        var database = session.Database;
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        // The page reads the sort index in order and stops after `limit` matches; with a skill, the count reads that
        // skill's rows alone (with their status). Status has two values: its index serves only a status filter sorted by name.
        var where = new StringBuilder("WHERE i.deleted = 0");
        var countWhere = new StringBuilder(query.Skills.Count > 0 ? "WHERE s0.skill = @skill0" : "WHERE i.deleted = 0");
        // The same page read from the first skill's rows instead of the sort index (BySkill).
        var bySkillWhere = new StringBuilder("WHERE s0.skill = @skill0 AND i.deleted = 0");
        if (query.Status is { } status)
        {
            var column = query.Skills.Count > 0 || query.Sort != InterviewerSort.Name ? database.Unindexed("i.status") : "i.status";
            where.Append(CultureInvariant($" AND {column} = @status"));
            countWhere.Append(query.Skills.Count > 0 ? " AND s0.status = @status" : " AND i.status = @status");
            bySkillWhere.Append(" AND s0.status = @status AND i.status = @status");
            parameters["@status"] = status.WireName();
        }
        for (var n = 0; n < query.Skills.Count; n++)
        {
            where.Append(CultureInvariant($" AND EXISTS (SELECT 1 FROM interviewer_skills s WHERE s.skill = @skill{n} AND s.interviewer_id = i.id)"));
            if (n > 0)
            {
                countWhere.Append(CultureInvariant($" AND EXISTS (SELECT 1 FROM interviewer_skills s WHERE s.skill = @skill{n} AND s.interviewer_id = s0.interviewer_id)"));
                bySkillWhere.Append(CultureInvariant($" AND EXISTS (SELECT 1 FROM interviewer_skills s WHERE s.skill = @skill{n} AND s.interviewer_id = i.id)"));
            }
            parameters[CultureInvariant($"@skill{n}")] = query.Skills[n].Trim().ToLowerInvariant();
        }
        // Name weighs twice the email in the ranking.
        var search = TextSearch.For(database, "interviewers", "i", query.Text, "10.0, 5.0", parameters);
        where.Append(search?.Condition);

        // The total goes in the page's round trip, unless the page's query depends on it (a skill filter's does).
        var count = countTotal ? session.Command(CountSql(database, query, search, where, countWhere), parameters) : null;
        var total = count is not null && query.Skills.Count > 0 ? await session.CountAsync(count) : -1;

        var direction = query.Descending ? "DESC" : "ASC";
        var (sortColumn, keyOf) = SortKey(database, query.Sort);
        var orderName = (query.Descending ? "-" : "") + WireNames.InterviewerSorts.Name(query.Sort);
        var bestMatch = query.BestMatch && search is not null;
        if (query.After is { } after && !bestMatch)
        {
            // After the cursor's row in the order: inserts before it shift nothing.
            var key = query.Sort == InterviewerSort.Name ? database.CaseInsensitive("@afterKey") : "@afterKey";
            where.Append(Keyset.After(sortColumn, key, "i.id", query.Descending));
            bySkillWhere.Append(Keyset.After(sortColumn, key, "i.id", query.Descending));
            parameters["@afterKey"] = after.Key;
            parameters["@afterId"] = after.Id;
        }
        var order = bestMatch ? $"{search!.Rank}, i.id" : $"{sortColumn} {direction}, i.id {direction}";
        parameters["@limit"] = query.Limit + 1;
        parameters["@offset"] = query.After is null ? query.Offset : 0;
        var bySkill = search is null && query.Skills.Count > 0 && total >= 0 && await FewMatches(session, query, total, parameters);
        var command = session.Command(bySkill
            ? $"""
              WITH matched AS MATERIALIZED (
                  SELECT {Columns}, i.email_norm
                  FROM interviewer_skills s0 {database.LookupJoin("interviewers", "i", "i.id = s0.interviewer_id")} {bySkillWhere} AND i.id = s0.interviewer_id)
              SELECT {Columns} FROM matched i
              ORDER BY {order}
              LIMIT @limit OFFSET @offset
              """
            : $"""
              SELECT {Columns}
              FROM {search?.From ?? "interviewers i"} {where}
              ORDER BY {order}
              LIMIT @limit OFFSET @offset
              """, parameters);

        var items = new List<Interviewer>(Math.Min(query.Limit + 1, 1001));
        if (count is not null && query.Skills.Count == 0)
        {
            total = await session.CountAndReadAsync(count, command, reader => items.Add(Read(reader)));
        }
        else
        {
            // Planned for its values on a server: whether the skill's rows or the join come first depends on them.
            await using var reader = await session.QueryAsync(command, prepare: !bySkill);
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
        var next = more && !bestMatch ? new PageCursor(orderName, keyOf(items[^1]), items[^1].Id) : null;
        return new Page<Interviewer>(items, total, query.Limit, query.After is null ? query.Offset : 0, next, more);
    });

    private const string Columns = """
        i.id, i.name, i.email, i.skills, i.status, i.timezone, i.created_at, i.updated_at, i.version,
        i.working_hours, i.max_per_day, i.buffer_minutes
        """;

    /// <summary>
    /// Whether a skill filter's page is better read from that skill's rows (all <paramref name="total"/> of them, then
    /// sorted) than by walking the sort index until the page is full. The walk visits about (offset + limit) × roster /
    /// total rows when the matches are spread evenly, and the whole roster when they are not: a skill that the
    /// interviewers added lately lack. Sorting the matches costs about total, so they are read when total² is within
    /// (offset + limit) × roster.
    /// </summary>
    private static async Task<bool> FewMatches(ReadModelSession session, InterviewerQuery query, long total, Dictionary<string, object?> parameters)
    {
        var wanted = (long)query.Limit + 1 + (query.After is null ? query.Offset : 0);
        if (total <= wanted)
        {
            return true;
        }
        if (session.Database.KeptTotalSql("interviewer_totals", query.Status is not null) is not { } rosterSql)
        {
            return false;
        }
        var roster = await session.CountAsync(session.Command(rosterSql, parameters.Where(p => p.Key == "@status")));
        return total * total <= wanted * roster;
    }

    private static Interviewer Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        JsonSerializer.Deserialize(reader.GetString(3), ReadModelJson.Default.StringArray) ?? [],
        WireNames.InterviewerStatuses.TryParse(reader.GetString(4), out var rowStatus) ? rowStatus : InterviewerStatus.Inactive,
        reader.GetString(5),
        SqlTime.FromText(reader.GetString(6)),
        SqlTime.FromText(reader.GetString(7)),
        reader.GetInt64(8),
        WorkingHoursJson.Read(reader.NullableString(9)),
        reader.IsDBNull(10) ? null : reader.GetInt32(10),
        reader.GetInt32(11));

    /// <summary>The column a sort orders by, and the value of that column for a row (what a cursor carries).</summary>
    private static (string Column, Func<Interviewer, string> Key) SortKey(SchedulerDatabase database, InterviewerSort sort) => sort switch
    {
        InterviewerSort.Email => ("i.email_norm", i => EmailIndex.Normalize(i.Email)),
        InterviewerSort.CreatedAt => ("i.created_at", i => SqlTime.ToText(i.CreatedAt)),
        InterviewerSort.UpdatedAt => ("i.updated_at", i => SqlTime.ToText(i.UpdatedAt)),
        _ => (database.CaseInsensitive("i.name"), i => i.Name),
    };

    private static string CountSql(SchedulerDatabase database, InterviewerQuery query, TextSearch? search, StringBuilder where, StringBuilder countWhere) =>
        query switch
        {
            _ when search is not null => $"SELECT count(*) FROM {search.From} {where}",
            { Skills.Count: 0 } when database.KeptTotalSql("interviewer_totals", query.Status is not null) is { } kept => kept,
            { Skills.Count: 0 } => $"SELECT count(*) FROM interviewers i {countWhere}",
            // From the first skill's rows alone (one per live interviewer, with its status: index (skill, status)),
            // never joined to the interviewers: a deleted interviewer has no skill rows.
            _ => $"SELECT count(*) FROM interviewer_skills s0 {countWhere}",
        };

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private sealed record InterviewerRow(Interviewer Interviewer, bool Deleted, long StorageVersion) : IReadModelChange
    {
        private const string UpsertSql = """
            INSERT INTO interviewers (id, name, email, email_norm, skills, status, timezone, created_at, updated_at, version, storage_version, deleted,
                                      working_hours, max_per_day, buffer_minutes)
            VALUES (@id, @name, @email, @emailNorm, @skills, @status, @timezone, @createdAt, @updatedAt, @version, @storageVersion, @deleted,
                    @workingHours, @maxPerDay, @bufferMinutes)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, email = excluded.email, email_norm = excluded.email_norm, skills = excluded.skills,
                status = excluded.status, timezone = excluded.timezone, created_at = excluded.created_at,
                updated_at = excluded.updated_at, version = excluded.version, storage_version = excluded.storage_version,
                deleted = excluded.deleted, working_hours = excluded.working_hours, max_per_day = excluded.max_per_day,
                buffer_minutes = excluded.buffer_minutes
            WHERE excluded.storage_version > interviewers.storage_version
            """;

        // The skills follow the row only where the upsert wrote it (or it was there at this version already), so that
        // a replay of an older version changes nothing; a condition in SQL, so the statements can go in one batch.
        private const string RowIsThisVersion = "EXISTS (SELECT 1 FROM interviewers WHERE id = @id AND storage_version = @storageVersion)";

        private const string DeleteSkillsSql = $"DELETE FROM interviewer_skills WHERE interviewer_id = @id AND {RowIsThisVersion}";

        private static string InsertSkillsSql(SchedulerDatabase database) =>
            $"INSERT INTO interviewer_skills (skill, interviewer_id, status) SELECT skills.value, @id, @status FROM {database.ValuesOf("@skills")} skills WHERE {RowIsThisVersion} ON CONFLICT DO NOTHING";

        public void Apply(ReadModelSession session)
        {
            var upsert = session.Command(UpsertSql);
            upsert.Add("@id", Interviewer.Id);
            upsert.Add("@name", Interviewer.Name);
            upsert.Add("@email", Interviewer.Email);
            upsert.Add("@emailNorm", EmailIndex.Normalize(Interviewer.Email));
            upsert.Add("@skills", JsonSerializer.Serialize(Interviewer.Skills.ToArray(), ReadModelJson.Default.StringArray));
            upsert.Add("@status", Interviewer.Status.WireName());
            upsert.Add("@timezone", Interviewer.Timezone);
            upsert.Add("@createdAt", SqlTime.ToText(Interviewer.CreatedAt));
            upsert.Add("@updatedAt", SqlTime.ToText(Interviewer.UpdatedAt));
            upsert.Add("@version", Interviewer.Version);
            upsert.Add("@storageVersion", StorageVersion);
            upsert.Add("@deleted", Deleted ? 1 : 0);
            upsert.Add("@workingHours", WorkingHoursJson.Write(Interviewer.WorkingHours));
            upsert.Add("@maxPerDay", Interviewer.MaxInterviewsPerDay);
            upsert.Add("@bufferMinutes", Interviewer.BufferMinutes);
            // Written in the transaction of the grain state, whose version check orders every change: the guard
            // only keeps a newer row from an older replay.
            session.Execute(upsert);

            if (Interviewer.Version > 1 || Deleted)
            {
                // Skills are written with their row: a new interviewer has none to replace.
                var deleteSkills = session.Command(DeleteSkillsSql);
                deleteSkills.Add("@id", Interviewer.Id);
                deleteSkills.Add("@storageVersion", StorageVersion);
                session.Execute(deleteSkills);
            }
            if (Deleted)
            {
                return;
            }
            if (Interviewer.Skills.Count == 0)
            {
                return;
            }
            // All of them in one statement (its skills as one list).
            var insert = session.Command(InsertSkillsSql(session.Database));
            insert.Add("@skills", session.Database.ListValue([.. Interviewer.Skills.Select(skill => skill.Trim().ToLowerInvariant())]));
            insert.Add("@id", Interviewer.Id);
            insert.Add("@status", Interviewer.Status.WireName());
            insert.Add("@storageVersion", StorageVersion);
            session.Execute(insert);
        }
    }
}
