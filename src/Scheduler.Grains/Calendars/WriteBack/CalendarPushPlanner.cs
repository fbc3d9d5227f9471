using System.Text.Json;
using Scheduler.Audit;
using Scheduler.Events;
using Scheduler.Grains.Notifications;
using Scheduler.Grains.Persistence;
using Scheduler.Notifications;

namespace Scheduler.Grains.Calendars;

/// <summary>
/// The write-back sink of the outbox: an interview's domain event becomes, for each write-back calendar of its
/// interviewer, the push that brings the calendar up to date (a PUT of the interview while it is booked, a DELETE once
/// it is cancelled or deleted), and a DELETE from the previous interviewer's calendars when it moved. The rows are
/// written in the transaction that marks the event dispatched, so a crash neither loses nor doubles them.
/// </summary>
public sealed class CalendarPushPlanner(ReadModelQueries queries, TimeProvider time) : IDomainEventSink
{
    public async Task<IReadOnlyList<IReadModelChange>> Plan(DomainEvent change, DispatchRound round)
    {
        if (change.EntityType != AuditEntityTypes.Event || change.DataJson is null
            || change.Action is not (AuditActions.Scheduled or AuditActions.Rescheduled or AuditActions.Updated or AuditActions.Cancelled
                or AuditActions.Deleted))
        {
            return [];
        }
        var interview = JsonSerializer.Deserialize(change.DataJson, NotificationJson.Default.InterviewEvent)
            ?? throw new InvalidOperationException($"Domain event {change.Seq} has no interview.");
        var now = time.GetUtcNow();
        var op = change.Action is AuditActions.Cancelled or AuditActions.Deleted || interview.Status == EventStatus.Cancelled
            ? CalendarPushOps.Delete
            : CalendarPushOps.Put;
        var rows = new List<IReadModelChange>();
        foreach (var calendarId in await CalendarPushStore.WriteBackCalendars(queries, interview.InterviewerId))
        {
            rows.Add(CalendarPushStore.Queue(calendarId, interview.Id, op, interview.Version, change.DataJson, now));
        }
        if (MovedFrom(change.ChangesJson) is { } previous && previous != interview.InterviewerId)
        {
            foreach (var calendarId in await CalendarPushStore.WriteBackCalendars(queries, previous))
            {
                rows.Add(CalendarPushStore.Queue(calendarId, interview.Id, CalendarPushOps.Delete, interview.Version, change.DataJson, now));
            }
        }
        return rows;
    }

    private static string? MovedFrom(string changesJson)
    {
        using var changes = JsonDocument.Parse(changesJson);
        return changes.RootElement.TryGetProperty("interviewerId", out var moved) && moved.TryGetProperty("from", out var from)
            && from.ValueKind == JsonValueKind.String
            ? from.GetString()
            : null;
    }
}
