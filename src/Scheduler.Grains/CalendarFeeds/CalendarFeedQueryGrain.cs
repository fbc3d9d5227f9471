using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Scheduler.CalendarFeeds;
using Scheduler.Events;
using Scheduler.Grains.Events;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;

namespace Scheduler.Grains.CalendarFeeds;

/// <summary>
/// Calendar feeds from the read model: the token's hash finds the interviewer in <c>calendar_feeds</c>, its interviews
/// in the window come from <c>interview_events</c> (its index by interviewer and start). Cancelled interviews stay for
/// <see cref="CalendarFeedOptions.CancelledDays"/> after their cancellation, so subscribed apps remove them; a deleted
/// interview stays as long, as a cancelled tombstone (<c>STATUS:CANCELLED</c>): some apps keep an entry a feed merely
/// stops listing.
/// </summary>
[StatelessWorker]
public sealed class CalendarFeedQueryGrain(ReadModelQueries queries, IOptions<CalendarFeedOptions> options, TimeProvider time)
    : Grain, ICalendarFeedQueryGrain
{
    private const string FeedOwnerSql = """
        SELECT i.id, i.name FROM calendar_feeds f JOIN interviewers i ON i.id = f.interviewer_id
        WHERE f.token_hash = @hash AND i.deleted = 0
        """;

    private const string InterviewsSql = $"""
        SELECT {EventReadModel.Columns}, e.deleted FROM interview_events e
        WHERE interviewer_id = @id AND starts_at < @to AND ends_at > @from
          AND ((deleted = 0 AND status <> 'cancelled') OR updated_at > @cancelledSince)
        ORDER BY starts_at, id
        """;

    public async Task<CalendarDocument?> Feed(string token)
    {
        if (!CalendarFeedTokens.IsWellFormed(token))
        {
            return null;
        }
        var settings = options.Value;
        var now = time.GetUtcNow();
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "interview_events");
        return await queries.RunAsync(async session =>
        {
            string id, name;
            var owner = session.Command(FeedOwnerSql);
            owner.Add("@hash", CalendarFeedTokens.Hash(token));
            await using (var reader = await session.QueryAsync(owner))
            {
                if (!await reader.ReadAsync())
                {
                    return null;
                }
                (id, name) = (reader.GetString(0), reader.GetString(1));
            }
            var command = session.Command(InterviewsSql);
            command.Add("@id", id);
            command.Add("@from", SqlTime.ToText(now.AddDays(-settings.PastDays)));
            command.Add("@to", SqlTime.ToText(now.AddDays(settings.FutureDays)));
            command.Add("@cancelledSince", SqlTime.ToText(now.AddDays(-settings.CancelledDays)));
            var interviews = new List<InterviewEvent>();
            await using (var reader = await session.QueryAsync(command))
            {
                while (await reader.ReadAsync())
                {
                    var interview = EventReadModel.Read(reader);
                    var deleted = Convert.ToInt64(reader.GetValue(reader.FieldCount - 1), System.Globalization.CultureInfo.InvariantCulture) != 0;
                    interviews.Add(deleted ? interview with { Status = EventStatus.Cancelled } : interview);
                }
            }
            return IcsFeed.Feed($"Interviews: {name}", interviews, settings);
        });
    }

    public Task<CalendarDocument> Single(InterviewEvent interview) => Task.FromResult(IcsFeed.Single(interview, options.Value));
}
