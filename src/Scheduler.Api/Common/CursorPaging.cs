using Scheduler.Common;

namespace Scheduler.Api.Common;

/// <summary>Reads a list's <c>cursor</c> (a <c>nextCursor</c> the list answered before) against the request's order.</summary>
internal static class CursorPaging
{
    /// <param name="order">The order the request asks for (<c>name</c>, <c>-startsAt</c>, …); null when it ranks by best match.</param>
    public static PageCursor? Cursor(this RequestValidation validation, string? cursor, string? order, int? offset)
    {
        if (cursor is null)
        {
            return null;
        }
        if (PageCursor.TryDecode(cursor) is not { } parsed)
        {
            validation.Add("cursor", "'cursor' is not a cursor this list answered (give the 'nextCursor' of the previous page).");
            return null;
        }
        if (order is null)
        {
            validation.Add("cursor", "A search ranked by best match pages by 'offset'; give 'sort' to page it by 'cursor'.");
        }
        else if (parsed.Order != order)
        {
            validation.Add("cursor", $"'cursor' continues a list sorted by '{parsed.Order}'; give the same 'sort' as the first page.");
        }
        if (offset is > 0)
        {
            validation.Add("offset", "Give either 'cursor' or 'offset', not both.");
        }
        return validation.IsValid ? parsed : null;
    }
}
