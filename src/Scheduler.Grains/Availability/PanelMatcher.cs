using Scheduler.Availability;
using Scheduler.Events;

namespace Scheduler.Grains.Availability;

/// <summary>
/// Finds panels: at each start time on the grid, a different interviewer for each requirement who is free for that
/// requirement's session (a bipartite matching, by augmenting paths). Candidates are tried in their order (least-loaded
/// first), so the matching prefers them; requirements are few (a handful), candidates many.
/// </summary>
public static class PanelMatcher
{
    /// <param name="eligible">Per requirement, whether each candidate meets it.</param>
    /// <param name="free">Per candidate (in order of preference), its free slots of the session's length.</param>
    /// <param name="limit">Panels to return; one more is looked for, to tell whether there are more.</param>
    public static (List<PanelProposal> Panels, bool HasMore) Find(
        IReadOnlyList<bool[]> eligible, IReadOnlyList<IReadOnlyList<Slot>> free, IReadOnlyList<string> ids,
        DateTimeOffset from, DateTimeOffset to, TimeSpan duration, PanelMode mode, TimeSpan grid, int limit)
    {
        // Who is free at each start time, in order of preference: the matching then looks only at them.
        var freeAt = new Dictionary<DateTimeOffset, List<int>>();
        for (var candidate = 0; candidate < free.Count; candidate++)
        {
            foreach (var slot in free[candidate])
            {
                if (!freeAt.TryGetValue(slot.StartsAt, out var list))
                {
                    freeAt[slot.StartsAt] = list = [];
                }
                list.Add(candidate);
            }
        }
        var sessions = eligible.Count;
        var span = mode == PanelMode.BackToBack ? duration * sessions : duration;
        var panels = new List<PanelProposal>();
        var starts = new DateTimeOffset[sessions];
        var assigned = new int[sessions];
        for (var t = Ceiling(from, grid); t + span <= to; t += grid)
        {
            for (var r = 0; r < sessions; r++)
            {
                starts[r] = mode == PanelMode.BackToBack ? t + duration * r : t;
            }
            if (!Match(eligible, freeAt, starts, assigned))
            {
                continue;
            }
            if (panels.Count == limit)
            {
                return (panels, true);
            }
            panels.Add(new PanelProposal(new Slot(t, t + span),
                [.. Enumerable.Range(0, sessions).Select(r => new PanelSession(r, ids[assigned[r]], new Slot(starts[r], starts[r] + duration)))]));
        }
        return (panels, false);
    }

    /// <summary>A free candidate for every requirement's session, no candidate twice; <paramref name="assigned"/> receives them.</summary>
    private static bool Match(IReadOnlyList<bool[]> eligible, Dictionary<DateTimeOffset, List<int>> freeAt, DateTimeOffset[] starts, int[] assigned)
    {
        var holder = new Dictionary<int, int>(); // candidate -> the requirement it serves
        for (var r = 0; r < eligible.Count; r++)
        {
            if (!freeAt.ContainsKey(starts[r]) || !Augment(r, []))
            {
                return false;
            }
        }
        foreach (var (candidate, requirement) in holder)
        {
            assigned[requirement] = candidate;
        }
        return true;

        bool Augment(int requirement, HashSet<int> visited)
        {
            foreach (var candidate in freeAt[starts[requirement]])
            {
                if (!eligible[requirement][candidate] || !visited.Add(candidate))
                {
                    continue;
                }
                if (!holder.TryGetValue(candidate, out var other) || Augment(other, visited))
                {
                    holder[candidate] = requirement;
                    return true;
                }
            }
            return false;
        }
    }

    public static DateTimeOffset Ceiling(DateTimeOffset instant, TimeSpan grid)
    {
        var ticks = (instant.UtcTicks + grid.Ticks - 1) / grid.Ticks * grid.Ticks;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
