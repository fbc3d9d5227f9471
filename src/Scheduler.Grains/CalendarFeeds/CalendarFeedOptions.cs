namespace Scheduler.Grains.CalendarFeeds;

/// <summary>The <c>CalendarFeed</c> settings: what the interviewers' calendar feeds show, and the secret their URLs derive from.</summary>
public sealed class CalendarFeedOptions
{
    public const string Section = "CalendarFeed";

    /// <summary>
    /// The key feed tokens are derived from (HMAC of each interviewer's random nonce), so the database alone, which holds
    /// the nonces and the tokens' hashes, reveals no feed URL. Unset: <c>Jwt:Secret</c>. Changing it changes every feed URL
    /// (each is issued again when its owner next asks for it).
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Whether the candidate's name and email appear in feeds and calendar files (they travel further than the scheduler).</summary>
    public bool IncludeCandidate { get; set; }

    /// <summary>Interviews that ended up to this many days ago are in the feed.</summary>
    public int PastDays { get; set; } = 30;

    /// <summary>Interviews that start within this many days are in the feed.</summary>
    public int FutureDays { get; set; } = 365;

    /// <summary>A cancelled interview stays in the feed (<c>STATUS:CANCELLED</c>) this many days after its cancellation.</summary>
    public int CancelledDays { get; set; } = 30;

    /// <summary>How often calendar apps are asked to fetch the feed again (<c>REFRESH-INTERVAL</c>, <c>X-PUBLISHED-TTL</c>).</summary>
    public int RefreshMinutes { get; set; } = 15;
}
