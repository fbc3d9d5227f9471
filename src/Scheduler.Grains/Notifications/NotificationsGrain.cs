using Orleans.Concurrency;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Notifications;

namespace Scheduler.Grains.Notifications;

/// <summary>The notifications as admins see them: a query of the table, and a retry through the writer.</summary>
[StatelessWorker]
public sealed class NotificationsGrain(ReadModelQueries queries, DatabaseWriter writer, TimeProvider time) : Grain, INotificationsGrain
{
    public Task<Page<Notification>> List(NotificationQuery query) => NotificationStore.List(queries, query);

    public async Task<Notification> Retry(string id)
    {
        var existing = await NotificationStore.Find(queries, id) ?? throw new NotFoundException($"Notification '{id}' was not found.");
        if (!await writer.Run(NotificationStore.Retry(id, time.GetUtcNow())))
        {
            throw new ConflictException($"Notification '{id}' is {existing.Status}; only a failed or dead one can be retried.", "notification_not_failed");
        }
        return await NotificationStore.Find(queries, id) ?? throw new NotFoundException($"Notification '{id}' was not found.");
    }
}
