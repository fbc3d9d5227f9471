namespace Scheduler.Api.CalendarFeeds;

/// <param name="Url">The feed's address: a calendar app subscribes to it without signing in, so it is a secret.</param>
/// <param name="IssuedAt">When its secret was issued (rotating issues a new one).</param>
public sealed record CalendarFeedResponse(string Url, DateTime IssuedAt);
