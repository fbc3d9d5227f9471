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
}
