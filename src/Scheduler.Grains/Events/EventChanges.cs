using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Audit;

namespace Scheduler.Grains.Events;

/// <summary>The audit <c>changes</c> of an interview: each field that differs between two versions.</summary>
internal static class EventChanges
{
    public static ChangeSet Between(InterviewEvent? before, InterviewEvent? after) => new ChangeSet()
        .Field("interviewerId", before?.InterviewerId, after?.InterviewerId)
        .Field("title", before?.Title, after?.Title)
        .Field("candidateName", before?.CandidateName, after?.CandidateName)
        .Field("candidateEmail", before?.CandidateEmail, after?.CandidateEmail)
        .Field("startsAt", Time(before?.Slot.StartsAt), Time(after?.Slot.StartsAt))
        .Field("endsAt", Time(before?.Slot.EndsAt), Time(after?.Slot.EndsAt))
        .Field("timezone", before?.Timezone, after?.Timezone)
        .Field("location", before?.Location, after?.Location)
        .Field("meetingUrl", before?.MeetingUrl, after?.MeetingUrl)
        .Field("notes", before?.Notes, after?.Notes)
        .Field("status", before is null ? null : before.Status.WireName(), after is null ? null : after.Status.WireName())
        .Field("cancellationReason", before?.CancellationReason, after?.CancellationReason);

    /// <summary>Records that a recruiter booked over external busy time on purpose.</summary>
    public static ChangeSet IgnoredBusy(this ChangeSet changes, Booking booking) =>
        booking.IgnoreCalendarBusy ? changes.Field("ignoreCalendarBusy", null, "true") : changes;

    private static string? Time(DateTimeOffset? value) => value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : null;
}
