using Scheduler.Events;
using Scheduler.Grains.Events;

namespace Scheduler.Grains.Tests.Events;

/// <summary>What an idempotent retry must match: every field of the booking, one at a time.</summary>
public sealed class BookingFingerprintTests
{
    private static readonly DateTimeOffset Start = new(2030, 3, 4, 14, 0, 0, TimeSpan.Zero);

    private static readonly Booking Full = new("iv-1", "Technical interview", "Casey", "casey@example.com", new Slot(Start, Start.AddHours(1)),
        "Europe/Berlin", "Room 1", "https://meet.example.com/abc", "Bring a laptop");

    public static TheoryData<string, Booking> OneFieldChanged => new()
    {
        { "interviewerId", Full with { InterviewerId = "iv-2" } },
        { "title", Full with { Title = "Other" } },
        { "candidateName", Full with { CandidateName = "Other" } },
        { "candidateEmail", Full with { CandidateEmail = "other@example.com" } },
        { "startsAt", Full with { Slot = Full.Slot with { StartsAt = Start.AddMinutes(-15) } } },
        { "endsAt", Full with { Slot = Full.Slot with { EndsAt = Start.AddMinutes(75) } } },
        { "timezone", Full with { Timezone = "Asia/Tokyo" } },
        { "timezone absent", Full with { Timezone = null } },
        { "location", Full with { Location = "Room 2" } },
        { "meetingUrl", Full with { MeetingUrl = "https://meet.example.com/other" } },
        { "notes", Full with { Notes = "Other" } },
        { "notes absent", Full with { Notes = null } },
    };

    [Theory]
    [MemberData(nameof(OneFieldChanged))]
    public void Of_BookingDifferingInOneField_DiffersFromTheOriginal(string field, Booking changed) =>
        Assert.True(BookingFingerprint.Of(Full) != BookingFingerprint.Of(changed), $"a retry with another {field} matched the first booking");

    [Fact]
    public void Of_SameBooking_IsTheSame_AndTheSameInstantInAnotherOffset_Too()
    {
        var copy = Full with { Slot = new Slot(Start.ToOffset(TimeSpan.FromHours(2)), Start.AddHours(1).ToOffset(TimeSpan.FromHours(-5))) };

        Assert.Equal(BookingFingerprint.Of(Full), BookingFingerprint.Of(Full with { }));
        Assert.Equal(BookingFingerprint.Of(Full), BookingFingerprint.Of(copy));
        Assert.Matches("^[0-9A-F]{64}$", BookingFingerprint.Of(Full));
    }
}
