using System.Security.Cryptography;
using System.Text;
using Scheduler.Events;

namespace Scheduler.Grains.Events;

/// <summary>What a retry with the same idempotency key must match: a hash of every field of the booking.</summary>
internal static class BookingFingerprint
{
    public static string Of(Booking booking)
    {
        var text = string.Join('\u001f', booking.InterviewerId, booking.Title, booking.CandidateName, booking.CandidateEmail,
            booking.Slot.StartsAt.UtcTicks, booking.Slot.EndsAt.UtcTicks, booking.Timezone, booking.Location, booking.MeetingUrl, booking.Notes);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
