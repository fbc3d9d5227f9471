using System.Text.Json;
using Microsoft.Extensions.Options;
using Scheduler.Audit;
using Scheduler.Events;
using Scheduler.Grains.Persistence;
using Scheduler.Notifications;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// The email sink of the outbox: turns an interview's domain event into the messages it implies, one row each in
/// <c>notifications</c>, keyed by (interview, kind, sequence, recipient) so that dispatching an event twice queues
/// nothing twice. A booking invites the candidate and the interviewer and plans their reminders; a new time or
/// place updates both (and moves the reminders); a move to another interviewer cancels with the old one and invites
/// the new one, and a new candidate address does the same for the candidate; a cancel or delete cancels with both and
/// drops the reminders still waiting.
/// </summary>
public sealed class EmailPlanner(ReadModelQueries queries, IOptions<EmailOptions> options, TimeProvider time) : IDomainEventSink
{
    private readonly EmailOptions _options = options.Value;

    public async Task<IReadOnlyList<IReadModelChange>> Plan(DomainEvent change, DispatchRound round)
    {
        if (change.EntityType != AuditEntityTypes.Event || change.DataJson is null)
        {
            return [];
        }
        var interview = JsonSerializer.Deserialize(change.DataJson, NotificationJson.Default.InterviewEvent)
            ?? throw new InvalidOperationException($"Domain event {change.Seq} has no interview.");
        var now = time.GetUtcNow();
        var changes = JsonDocument.Parse(change.ChangesJson).RootElement;
        var rows = new List<IReadModelChange>();
        var ahead = interview.Slot.EndsAt > now;
        // Seen by the recipients: the time or interviewer (rescheduled), the place, title or candidate (updated).
        var seen = change.Action == AuditActions.Rescheduled || (change.Action == AuditActions.Updated
            && (changes.TryGetProperty("location", out _) || changes.TryGetProperty("meetingUrl", out _) || changes.TryGetProperty("title", out _)
                || changes.TryGetProperty("candidateName", out _) || changes.TryGetProperty("candidateEmail", out _)));
        if (change.Action is AuditActions.Cancelled or AuditActions.Deleted or AuditActions.Completed || (seen && ahead))
        {
            rows.Add(NotificationStore.DropReminders(interview.Id));
        }
        // The interviewer is read once per event, and only when a message follows.
        if (!ahead || change.Action is AuditActions.Completed || (change.Action == AuditActions.Updated && !seen)
            || await Interviewer(interview.InterviewerId) is not { } interviewer)
        {
            return rows;
        }
        switch (change.Action)
        {
            case AuditActions.Scheduled:
                Both(rows, change, interview, interviewer, NotificationKinds.Invitation, now);
                Reminders(rows, change, interview, interviewer, now);
                break;
            case AuditActions.Rescheduled:
                var movedFrom = From(changes, "interviewerId");
                Candidate(rows, change, interview, interviewer, changes, now);
                rows.Add(Message(change, interview, interviewer, movedFrom is null ? NotificationKinds.Update : NotificationKinds.Invitation, candidate: false, now));
                if (movedFrom is not null && await Interviewer(movedFrom) is { } previous)
                {
                    rows.Add(Row(change, interview, NotificationKinds.Cancellation, "interviewer", previous.Email, previous.Name, previous.Timezone, previous, null, now));
                }
                Reminders(rows, change, interview, interviewer, now);
                break;
            case AuditActions.Updated:
                Candidate(rows, change, interview, interviewer, changes, now);
                rows.Add(Message(change, interview, interviewer, NotificationKinds.Update, candidate: false, now));
                Reminders(rows, change, interview, interviewer, now);
                break;
            // A deleted interview that was still booked is cancelled in the calendars; one already cancelled or
            // completed was announced then.
            case AuditActions.Cancelled:
            case AuditActions.Deleted when interview.Status == EventStatus.Scheduled:
                Both(rows, change, interview with { Status = EventStatus.Cancelled }, interviewer, NotificationKinds.Cancellation, now);
                break;
        }
        return rows;
    }

    // The candidate's message about a change: an update, or if the candidate's address changed, an invitation to the
    // new one and a cancellation to the old one (a typo's owner, or another person), as a move does for interviewers.
    private void Candidate(List<IReadModelChange> rows, DomainEvent change, InterviewEvent interview, Recipient interviewer, JsonElement changes,
        DateTimeOffset now)
    {
        if (From(changes, "candidateEmail") is not { } previous)
        {
            rows.Add(Message(change, interview, interviewer, NotificationKinds.Update, candidate: true, now));
            return;
        }
        rows.Add(Message(change, interview, interviewer, NotificationKinds.Invitation, candidate: true, now));
        rows.Add(Row(change, interview, NotificationKinds.Cancellation, "candidate", previous, From(changes, "candidateName") ?? interview.CandidateName,
            interview.Timezone, interviewer, null, now));
    }

    private void Both(List<IReadModelChange> rows, DomainEvent change, InterviewEvent interview, Recipient interviewer, string kind, DateTimeOffset now)
    {
        rows.Add(Message(change, interview, interviewer, kind, candidate: true, now));
        rows.Add(Message(change, interview, interviewer, kind, candidate: false, now));
    }

    private IReadModelChange Message(DomainEvent change, InterviewEvent interview, Recipient interviewer, string kind, bool candidate, DateTimeOffset now) =>
        candidate
            ? Row(change, interview, kind, "candidate", interview.CandidateEmail, interview.CandidateName, interview.Timezone, interviewer, null, now)
            : Row(change, interview, kind, "interviewer", interviewer.Email, interviewer.Name, interviewer.Timezone, interviewer, null, now);

    // Only the reminders still ahead: a booking made inside a reminder's window skips it.
    private void Reminders(List<IReadModelChange> rows, DomainEvent change, InterviewEvent interview, Recipient interviewer, DateTimeOffset now)
    {
        foreach (var minutes in _options.ReminderOffsets())
        {
            var due = interview.Slot.StartsAt.AddMinutes(-minutes);
            if (due <= now)
            {
                continue;
            }
            rows.Add(Row(change, interview, NotificationKinds.Reminder, "candidate", interview.CandidateEmail, interview.CandidateName, interview.Timezone,
                interviewer, minutes, due));
            rows.Add(Row(change, interview, NotificationKinds.Reminder, "interviewer", interviewer.Email, interviewer.Name, interviewer.Timezone,
                interviewer, minutes, due));
        }
    }

    private IReadModelChange Row(DomainEvent change, InterviewEvent interview, string kind, string role, string email, string name, string timezone,
        Recipient interviewer, int? minutes, DateTimeOffset due)
    {
        var sequence = interview.Version - 1;
        var key = minutes is { } m ? $"{interview.Id}:{kind}:{sequence}:{role}:{m}" : $"{interview.Id}:{kind}:{sequence}:{role}";
        var data = new NotificationData(interview, name, timezone, interviewer.Name, interviewer.Email, minutes);
        return NotificationStore.Queue(new QueuedNotification(
            Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), key, interview.Id, kind, role, email, sequence,
            _options.Enabled ? NotificationStatuses.Queued : NotificationStatuses.Skipped,
            due, MessageId(key), JsonSerializer.Serialize(data, NotificationJson.Default.NotificationData), change.TraceParent, time.GetUtcNow()));
    }

    // Stable per (interview, kind, sequence, recipient): a message sent again after a crash collapses into the first.
    private string MessageId(string key)
    {
        var at = _options.From.LastIndexOf('@');
        var domain = at >= 0 ? _options.From[(at + 1)..] : "scheduler.local";
        return $"{key.Replace(':', '.')}@{domain}";
    }

    // A field's value before the change, when the change set it.
    private static string? From(JsonElement changes, string field) =>
        changes.TryGetProperty(field, out var changed) && changed.TryGetProperty("from", out var from) && from.ValueKind == JsonValueKind.String
            ? from.GetString()
            : null;

    private Task<Recipient?> Interviewer(string id) => queries.RunAsync(async session =>
    {
        // The interviewer's own user's email when it has one (what it signs in with), else the roster's.
        var command = session.Command("""
            SELECT i.name, i.email, i.timezone,
                   (SELECT u.email FROM users u WHERE u.interviewer_id = i.id AND u.deleted = 0 AND u.disabled = 0 ORDER BY u.created_at LIMIT 1)
            FROM interviewers i WHERE i.id = @id
            """);
        command.Add("@id", id);
        await using var reader = await session.QueryAsync(command);
        return await reader.ReadAsync()
            ? new Recipient(reader.GetString(0), reader.NullableString(3) ?? reader.GetString(1), reader.GetString(2))
            : null;
    });

    private sealed record Recipient(string Name, string Email, string Timezone);
}
