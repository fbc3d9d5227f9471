using Scheduler.Calendars;
using Scheduler.Common;
using Scheduler.Grains.Outbound;
using Scheduler.Grains.Persistence;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Calendars;

/// <summary>
/// The linked calendars of one interviewer (keyed by its id), rows of <c>linked_calendars</c>. The credential is
/// encrypted with Data Protection before it is written and is never part of what this grain returns.
/// </summary>
public sealed class LinkedCalendarsGrain(
    ReadModelQueries queries,
    DatabaseWriter writer,
    CalendarCredentials credentials,
    CalendarSync sync,
    TimeProvider time) : Grain, ILinkedCalendarsGrain
{
    private string InterviewerId => this.GetPrimaryKeyString();

    public async Task<LinkedCalendar> Link(LinkCalendarCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (OutboundAddresses.CheckUrl(command.Url) is { } problem)
        {
            throw new DomainValidationException("url", problem, "invalid_url");
        }
        if (command.WriteBack && command.Kind != LinkedCalendarKinds.CalDav)
        {
            throw new DomainValidationException("writeBack", "Only a CalDAV calendar can be written back to.", "invalid_write_back");
        }
        var credential = command.Auth == LinkedCalendarAuth.None || command.Secret is null
            ? null
            : credentials.Protect(new CalendarCredential(command.Username, command.Secret));
        var calendar = new LinkedCalendar(Guid.NewGuid().ToString("N"), InterviewerId, command.Kind, command.Url, command.Name, command.Auth,
            time.GetUtcNow(), null, null, null, 0, command.WriteBack);
        await LinkedCalendarStore.Insert(writer, calendar, credential);
        return calendar;
    }

    public Task<IReadOnlyList<LinkedCalendar>> List() => LinkedCalendarStore.List(queries, InterviewerId);

    public async Task<bool> Unlink(string calendarId)
    {
        if (!await LinkedCalendarStore.Delete(writer, InterviewerId, calendarId))
        {
            return false;
        }
        await GrainFactory.GetGrain<IInterviewerGrain>(InterviewerId).SetBusy(calendarId, null, time.GetUtcNow());
        return true;
    }

    public async Task<LinkedCalendar?> SyncNow(string calendarId)
    {
        if (!(await List()).Any(c => c.Id == calendarId))
        {
            return null;
        }
        await sync.Sync(calendarId, CancellationToken.None);
        return (await List()).FirstOrDefault(c => c.Id == calendarId);
    }
}
