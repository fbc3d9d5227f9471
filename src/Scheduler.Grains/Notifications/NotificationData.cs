using Scheduler.Events;

namespace Scheduler.Grains.Notifications;

/// <summary>What a message is rendered from, kept with it: the interview as of the change, and who it goes to.</summary>
/// <param name="Timezone">The zone the recipient reads times in: the interviewer's own, or the interview's.</param>
/// <param name="ReminderMinutes">For a reminder, how long before the start it is due.</param>
public sealed record NotificationData(
    InterviewEvent Event,
    string RecipientName,
    string Timezone,
    string InterviewerName,
    string InterviewerEmail,
    int? ReminderMinutes);
