using System.Diagnostics;
using System.Diagnostics.Metrics;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Telemetry;

/// <summary>
/// Our own spans and domain metrics. The activity source and meter are named <see cref="Name"/>; the telemetry
/// wiring in the silo subscribes to both.
/// </summary>
public sealed class SchedulerTelemetry
{
    public const string Name = "Scheduler";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _scheduled;
    private readonly Counter<long> _rescheduled;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _loginFailures;
    private readonly Counter<long> _auditEntries;
    private readonly Counter<long> _lockouts;

    public SchedulerTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _scheduled = meter.CreateCounter<long>("scheduler.interviews.scheduled", "{interview}", "Interviews booked");
        _rescheduled = meter.CreateCounter<long>("scheduler.interviews.rescheduled", "{interview}", "Interviews moved to another time or interviewer");
        _cancelled = meter.CreateCounter<long>("scheduler.interviews.cancelled", "{interview}", "Interviews cancelled");
        _conflicts = meter.CreateCounter<long>("scheduler.booking.conflicts", "{booking}", "Bookings refused, by reason");
        _loginFailures = meter.CreateCounter<long>("scheduler.auth.login_failures", "{attempt}", "Sign-ins refused");
        _lockouts = meter.CreateCounter<long>("scheduler.auth.lockouts", "{lockout}", "Accounts locked after repeated failed sign-ins");
        _auditEntries = meter.CreateCounter<long>("scheduler.audit.entries", "{entry}", "Audit entries written to the audit log");
    }

    public void InterviewScheduled() => _scheduled.Add(1);

    public void InterviewRescheduled() => _rescheduled.Add(1);

    public void InterviewCancelled() => _cancelled.Add(1);

    public void BookingConflict(string reason) => _conflicts.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void LoginFailed() => _loginFailures.Add(1);

    public void LockedOut() => _lockouts.Add(1);

    public void AuditEntriesWritten(int count) => _auditEntries.Add(count);

    /// <summary>A client span for SQL work on the read model (or, on SQLite, grain state) in <paramref name="database"/>.</summary>
    public static Activity? StartSql(SchedulerDatabase database, string operation, string table, ActivityContext parent = default)
    {
        var activity = ActivitySource.StartActivity($"{operation} {table}", ActivityKind.Client, parent);
        activity?.SetTag("db.system.name", database.SystemName);
        activity?.SetTag("db.operation.name", operation);
        activity?.SetTag("db.collection.name", table);
        return activity;
    }
}
