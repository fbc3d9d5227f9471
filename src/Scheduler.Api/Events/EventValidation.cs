using Scheduler.Api.Common;
using Scheduler.Common;
using Scheduler.Events;

namespace Scheduler.Api.Events;

/// <summary>Reads the event requests into what the grains take, or collects why not (a 400 validation problem).</summary>
internal static class EventValidation
{
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(8);

    // The instants a calendar holds. Working hours are expanded per local day around a slot, so the calendar's
    // arithmetic needs room on both sides: near year 1 or 9999 it would overflow (a 500, not a 400).
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Adds an error for <paramref name="field"/> unless <paramref name="instant"/> is one a calendar holds.</summary>
    public static bool InCalendarRange(string field, DateTimeOffset instant, RequestValidation validation)
    {
        if (instant >= Earliest && instant < Latest)
        {
            return true;
        }
        validation.Add(field, $"'{field}' must be from {Earliest:yyyy-MM-dd} up to {Latest:yyyy-MM-dd} (UTC).");
        return false;
    }

    public static Booking? ToBooking(EventRequest request, RequestValidation validation)
    {
        var interviewerId = validation.Required("interviewerId", request.InterviewerId, 64);
        if (interviewerId is not null && !ResourceIds.IsWellFormed(interviewerId))
        {
            validation.Add("interviewerId", "'interviewerId' is not an interviewer id.");
        }
        var title = validation.Required("title", request.Title, 200);
        var candidateName = validation.Required("candidateName", request.CandidateName, 200);
        var candidateEmail = validation.Email("candidateEmail", request.CandidateEmail);
        var slot = Slot(request.StartsAt, request.EndsAt, validation);
        var timezone = request.Timezone is null ? null : validation.TimeZone("timezone", request.Timezone, "UTC");
        var location = validation.Optional("location", request.Location, 500);
        var meetingUrl = MeetingUrl(request.MeetingUrl, validation);
        var notes = validation.Optional("notes", request.Notes, 5000);
        return validation.IsValid
            ? new Booking(interviewerId!, title!, candidateName!, candidateEmail!, slot!, timezone, location, meetingUrl, notes)
            : null;
    }

    public static Slot? Slot(DateTimeOffset? startsAt, DateTimeOffset? endsAt, RequestValidation validation)
    {
        if (startsAt is null)
        {
            validation.Add("startsAt", "'startsAt' is required (ISO 8601, e.g. 2026-03-01T09:00:00Z).");
        }
        if (endsAt is null)
        {
            validation.Add("endsAt", "'endsAt' is required (ISO 8601, e.g. 2026-03-01T10:00:00Z).");
        }
        if (startsAt is not { } start || endsAt is not { } end)
        {
            return null;
        }
        // Both checked, so both are reported.
        var inRange = InCalendarRange("startsAt", start, validation) & InCalendarRange("endsAt", end, validation);
        if (!inRange)
        {
            return null;
        }
        if (end <= start)
        {
            validation.Add("endsAt", "'endsAt' must be after 'startsAt'.");
            return null;
        }
        if (end - start < MinDuration || end - start > MaxDuration)
        {
            validation.Add("endsAt", "An interview lasts between 5 minutes and 8 hours.");
            return null;
        }
        return new Slot(start.ToUniversalTime(), end.ToUniversalTime());
    }

    private static string? MeetingUrl(string? value, RequestValidation validation)
    {
        var url = validation.Optional("meetingUrl", value, 2048);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            validation.Add("meetingUrl", "'meetingUrl' must be an absolute http(s) URL.");
            return null;
        }
        return url;
    }

    /// <summary>The list behind <c>/api/events</c> and <c>/api/interviewers/{id}/events</c>.</summary>
    /// <param name="interviewerId">Null: every interviewer's interviews.</param>
    public static EventQuery? ToQuery(string? interviewerId, EventListQuery query, RequestValidation validation)
    {
        var (take, skip) = validation.Paging(query.Limit, query.Offset);
        var text = validation.Optional("q", query.Q, 200);
        if (interviewerId is not null && !ResourceIds.IsWellFormed(interviewerId))
        {
            validation.Add("interviewerId", "'interviewerId' is not an interviewer id.");
        }
        DateTimeOffset? from = query.From, to = query.To;
        if (from > to)
        {
            validation.Add("from", "'from' must not be after 'to'.");
        }
        EventStatus? status = query.Status is null ? null
            : WireNames.EventStatuses.TryParse(query.Status, out var parsed) ? parsed
            : Invalid<EventStatus>(validation, "status", "'status' must be scheduled, cancelled or completed.");
        var email = query.CandidateEmail is null ? null : validation.Email("candidateEmail", query.CandidateEmail);
        var descending = query.Sort?.StartsWith('-') == true;
        var key = descending ? query.Sort![1..] : query.Sort;
        var order = key is null ? EventSort.StartsAt
            : WireNames.EventSorts.TryParse(key, out var sortKey) ? sortKey
            : Invalid<EventSort>(validation, "sort", "'sort' must be startsAt, createdAt or updatedAt, optionally prefixed by '-'.") ?? EventSort.StartsAt;
        var bestMatch = text is not null && query.Sort is null;
        var orderName = bestMatch ? null : (descending ? "-" : "") + WireNames.EventSorts.Name(order);
        var after = validation.Cursor(query.Cursor, orderName, query.Offset);
        return validation.IsValid ? new EventQuery(interviewerId, from, to, status, email, order, descending, take, skip, text, after, bestMatch) : null;
    }

    private static T? Invalid<T>(RequestValidation validation, string field, string message) where T : struct
    {
        validation.Add(field, message);
        return null;
    }
}
