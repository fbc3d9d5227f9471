using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Audit;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Interviewers;

/// <summary>The interviewer grain's pure rules: what a change records, and whether a settings change breaks a booking.</summary>
internal static class InterviewerRules
{
    public static bool WorkingSettingsChange(Interviewer current, Interviewer updated) =>
        current.Timezone != updated.Timezone || current.MaxInterviewsPerDay != updated.MaxInterviewsPerDay
        || current.BufferMinutes != updated.BufferMinutes
        || WorkingHoursJson.Write(current.WorkingHours) != WorkingHoursJson.Write(updated.WorkingHours);

    // Each upcoming interview is checked as if booked again, beside the others, under the old settings and the new: only
    // those the change itself breaks are reported (one kept earlier with keepBookings does not block every later change).
    public static void EnsureBookingsStillFit(Interviewer current, Interviewer updated, List<CalendarEntry> entries, DateTimeOffset now)
    {
        var involved = entries.Where(e => e.Slot.StartsAt > now && !Fits(updated, e) && Fits(current, e)).Select(e => e.EventId).ToArray();
        if (involved.Length > 0)
        {
            throw new ConflictException(
                $"The new time zone, working hours, daily limit or buffer conflict with {involved.Length} upcoming interview(s) (listed; "
                + "for a limit or a buffer, moving some of them may be enough).",
                EventCodes.BookingsOutsideSettings)
            {
                RelatedIds = involved,
            };
        }

        bool Fits(Interviewer interviewer, CalendarEntry entry) =>
            CalendarRules.Refusal(interviewer with { Status = InterviewerStatus.Active }, entries, entry.EventId, entry.Slot) is null;
    }

    public static ChangeSet Changes(Interviewer? before, Interviewer? after) => new ChangeSet()
        .Field("name", before?.Name, after?.Name)
        .Field("email", before?.Email, after?.Email)
        .Field("skills", before?.Skills, after?.Skills)
        .Field("status", before is null ? null : before.Status.WireName(), after is null ? null : after.Status.WireName())
        .Field("timezone", before?.Timezone, after?.Timezone)
        .JsonField("workingHours", WorkingHoursJson.Write(before?.WorkingHours), WorkingHoursJson.Write(after?.WorkingHours))
        .Field("maxInterviewsPerDay", before?.MaxInterviewsPerDay, after?.MaxInterviewsPerDay)
        .Field("bufferMinutes", before?.BufferMinutes, after?.BufferMinutes);
}
