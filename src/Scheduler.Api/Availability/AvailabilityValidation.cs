using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Api.Interviewers;
using Scheduler.Availability;

namespace Scheduler.Api.Availability;

/// <summary>Reads the availability requests into what the grains take, or collects why not (a 400 validation problem).</summary>
internal static class AvailabilityValidation
{
    public const int MaxRequirements = 6;

    public const int DefaultPerSlot = 10;

    public static readonly IReadOnlyList<string> Modes = ["parallel", "back-to-back"];

    public static RosterQuery? ToQuery(RosterAvailabilityQuery query, RequestValidation validation)
    {
        var skills = Skills("skills", (query.Skills ?? []).SelectMany(s => (s ?? "").Split(',')).ToArray(), validation);
        var (limit, _) = validation.Paging(query.Limit, null);
        if (query.PerSlot is < 1 or > RequestValidation.MaxLimit)
        {
            validation.Add("perSlot", $"'perSlot' must be between 1 and {RequestValidation.MaxLimit}.");
        }
        var window = InterviewerValidation.ToAvailability(new AvailabilityQuery(query.From, query.To, query.DurationMinutes), validation);
        return window is var (from, to, duration) && validation.IsValid
            ? new RosterQuery(skills, from, to, duration, limit, query.PerSlot ?? DefaultPerSlot)
            : null;
    }

    public static PanelQuery? ToQuery(PanelRequest request, RequestValidation validation)
    {
        var requirements = new List<IReadOnlyList<string>>();
        if (request.Requirements is not { Length: > 0 and <= MaxRequirements } given)
        {
            validation.Add("requirements", $"Give 1 to {MaxRequirements} requirements.");
        }
        else
        {
            requirements.AddRange(given.Select((r, n) => Skills(FormattableString.Invariant($"requirements[{n}].skills"), r?.Skills ?? [], validation)));
        }
        var mode = validation.OneOf("mode", request.Mode, Modes) is "back-to-back" ? PanelMode.BackToBack : PanelMode.Parallel;
        var (limit, _) = validation.Paging(request.Limit, null);
        var window = InterviewerValidation.ToAvailability(
            new AvailabilityQuery(request.From is { } f ? new Instant(f) : null, request.To is { } t ? new Instant(t) : null, request.DurationMinutes),
            validation);
        // Back to back, each session starts where the one before ends: on the 15-minute grid only if the length is on it.
        if (mode == PanelMode.BackToBack && request.DurationMinutes is { } minutes && minutes % 15 != 0)
        {
            validation.Add("durationMinutes", "In back-to-back mode, 'durationMinutes' must be a multiple of 15.");
        }
        return window is var (from, to, duration) && validation.IsValid ? new PanelQuery(requirements, from, to, duration, mode, limit) : null;
    }

    public static List<PanelBookingItem>? ToBookings(PanelBookingRequest request, RequestValidation validation)
    {
        if (request.Sessions is not { Length: > 0 and <= MaxRequirements } sessions)
        {
            validation.Add("sessions", $"Give 1 to {MaxRequirements} sessions.");
            sessions = [];
        }
        var items = new List<PanelBookingItem>();
        for (var n = 0; n < sessions.Length; n++)
        {
            var session = sessions[n] ?? new PanelSessionRequest(null, null, null);
            var one = new RequestValidation();
            var booking = EventValidation.ToBooking(new EventRequest(session.InterviewerId, session.Title ?? request.Title, request.CandidateName,
                request.CandidateEmail, session.StartsAt, session.EndsAt, request.Timezone, request.Location, request.MeetingUrl, request.Notes), one);
            foreach (var (field, messages) in one.Errors)
            {
                // Fields of the session are named by it; those shared by the panel, as the body names them.
                var name = field is "interviewerId" or "startsAt" or "endsAt" || (field == "title" && session.Title is not null)
                    ? FormattableString.Invariant($"sessions[{n}].{field}")
                    : field;
                foreach (var message in messages)
                {
                    validation.Add(name, message);
                }
            }
            if (booking is not null)
            {
                items.Add(new PanelBookingItem(ResourceIds.New(), booking));
            }
        }
        return validation.IsValid ? items : null;
    }

    private static string[] Skills(string field, string[] raw, RequestValidation validation)
    {
        var skills = raw.Select(s => s?.Trim() ?? "").ToArray();
        if (skills.Length > InterviewerValidation.MaxSkills || skills.Any(s => s.Length is 0 or > InterviewerValidation.MaxSkillLength))
        {
            validation.Add(field, $"Give at most {InterviewerValidation.MaxSkills} skills of 1 to {InterviewerValidation.MaxSkillLength} characters.");
            return [];
        }
        return [.. skills.Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
