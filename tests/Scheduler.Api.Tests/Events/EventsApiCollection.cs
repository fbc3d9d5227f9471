namespace Scheduler.Api.Tests.Events;

/// <summary>
/// One host for every events API test class, which run one at a time: some move the host's clock
/// (<see cref="SchedulerApiFactory.Clock"/>), and they were one class before they were split by behaviour.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EventsApiCollection : ICollectionFixture<SchedulerApiFactory>
{
    public const string Name = "events-api";
}
