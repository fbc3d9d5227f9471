using Scheduler.Audit;
using Scheduler.Grains.Entities;
using Scheduler.Users;

namespace Scheduler.Grains.Users;

[GenerateSerializer]
public sealed class UserState : IEntityState<UserInfo>
{
    [Id(0)]
    public UserInfo? Current { get; set; }

    [Id(1)]
    public string? PasswordHash { get; set; }

    [Id(2)]
    public bool Deleted { get; set; }

    [Id(3)]
    public List<AuditEntry> Outbox { get; set; } = [];
}
