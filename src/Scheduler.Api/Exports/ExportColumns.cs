using Scheduler.Audit;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Interviewers;

namespace Scheduler.Api.Exports;

/// <summary>The columns of each export, in order; those with a PDF width make the PDF's table.</summary>
internal static class ExportColumns
{
    public static readonly IReadOnlyList<ExportColumn<InterviewEvent>> Interviews =
    [
        new("Id", ColumnKind.Text, e => e.Id),
        new("Title", ColumnKind.Text, e => e.Title, 3),
        new("Candidate", ColumnKind.Text, e => e.CandidateName, 2.2),
        new("Candidate email", ColumnKind.Text, e => e.CandidateEmail, 2.8),
        new("Interviewer id", ColumnKind.Text, e => e.InterviewerId, 2.4),
        new("Starts at", ColumnKind.Instant, e => e.Slot.StartsAt, 2),
        new("Ends at", ColumnKind.Instant, e => e.Slot.EndsAt, 2),
        new("Booked in zone", ColumnKind.Text, e => e.Timezone),
        new("Status", ColumnKind.Text, e => e.Status.WireName(), 1.1),
        new("Location", ColumnKind.Text, e => e.Location),
        new("Meeting URL", ColumnKind.Text, e => e.MeetingUrl),
        new("Notes", ColumnKind.Text, e => e.Notes),
        new("Cancellation reason", ColumnKind.Text, e => e.CancellationReason),
        new("Created by", ColumnKind.Text, e => e.CreatedBy),
        new("Created at", ColumnKind.Instant, e => e.CreatedAt),
        new("Updated at", ColumnKind.Instant, e => e.UpdatedAt),
        new("Version", ColumnKind.Number, e => e.Version),
    ];

    public static readonly IReadOnlyList<ExportColumn<Interviewer>> Interviewers =
    [
        new("Id", ColumnKind.Text, i => i.Id, 2.4),
        new("Name", ColumnKind.Text, i => i.Name, 2.5),
        new("Email", ColumnKind.Text, i => i.Email, 3),
        new("Skills", ColumnKind.Text, i => string.Join("; ", i.Skills), 3),
        new("Status", ColumnKind.Text, i => i.Status.WireName(), 1),
        new("Timezone", ColumnKind.Text, i => i.Timezone, 1.8),
        new("Max interviews per day", ColumnKind.Number, i => i.MaxInterviewsPerDay),
        new("Buffer minutes", ColumnKind.Number, i => i.BufferMinutes),
        new("Created at", ColumnKind.Instant, i => i.CreatedAt, 1.8),
        new("Updated at", ColumnKind.Instant, i => i.UpdatedAt),
        new("Version", ColumnKind.Number, i => i.Version),
    ];

    public static readonly IReadOnlyList<ExportColumn<AuditEntry>> AuditLogs =
    [
        new("Id", ColumnKind.Text, a => a.Id),
        new("Timestamp", ColumnKind.Instant, a => a.Timestamp, 2),
        new("Entity type", ColumnKind.Text, a => a.EntityType, 1.2),
        new("Entity id", ColumnKind.Text, a => a.EntityId, 2.4),
        new("Entity version", ColumnKind.Number, a => a.EntityVersion, 0.8),
        new("Action", ColumnKind.Text, a => a.Action, 1.4),
        new("Actor", ColumnKind.Text, a => a.Actor, 2.4),
        new("Actor id", ColumnKind.Text, a => a.ActorId),
        new("Changes", ColumnKind.Text, a => a.ChangesJson, 4),
    ];
}
