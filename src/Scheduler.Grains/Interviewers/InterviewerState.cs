using Scheduler.Audit;
using Scheduler.Grains.Entities;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Interviewers;

[GenerateSerializer]
public sealed class InterviewerState : IEntityState<Interviewer>
{
    [Id(0)]
    public Interviewer? Current { get; set; }

    [Id(1)]
    public bool Deleted { get; set; }

    /// <summary>Audit entries written with the state and not yet known to be in the read model.</summary>
    [Id(2)]
    public List<AuditEntry> Outbox { get; set; } = [];

    /// <summary>The random half of the calendar feed's token (<see cref="CalendarFeeds.CalendarFeedTokens"/>); null until first asked for.</summary>
    [Id(3)]
    public byte[]? FeedNonce { get; set; }

    /// <summary>The hash of the token <c>calendar_feeds</c> holds, to notice that the feed secret has changed since.</summary>
    [Id(4)]
    public string? FeedTokenHash { get; set; }

    [Id(5)]
    public DateTimeOffset FeedIssuedAt { get; set; }
}
