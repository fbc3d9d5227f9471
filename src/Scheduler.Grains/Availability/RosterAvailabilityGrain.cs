using Orleans.Concurrency;
using Scheduler.Availability;
using Scheduler.Common;
using Scheduler.Events;
using Scheduler.Grains.Interviewers;
using Scheduler.Grains.Persistence;
using Scheduler.Grains.Telemetry;
using Scheduler.Interviewers;

namespace Scheduler.Grains.Availability;

/// <summary>
/// Roster-wide availability. The candidates come from the read model (active, with the skills, and their load); their
/// free slots from each interviewer grain's own <see cref="IInterviewerGrain.Availability"/>, so that every rule it
/// applies (working hours, buffers, daily limits, bookings, busy time from elsewhere) applies here without a copy.
/// </summary>
[StatelessWorker]
public sealed class RosterAvailabilityGrain(ReadModelQueries queries) : Grain, IRosterAvailabilityGrain
{
    /// <summary>The most interviewers one search asks: beyond it, the caller names more skills.</summary>
    public const int MaxCandidates = 2000;

    /// <summary>Interviewer grains asked at once.</summary>
    public const int FanOut = 64;

    public async Task<RosterAvailability> Find(RosterQuery query)
    {
        var candidates = await Candidates(query.Skills, query.From, query.To);
        var free = await FreeSlots(candidates, query.From, query.To, query.Duration);
        var bySlot = new Dictionary<DateTimeOffset, List<string>>();
        for (var c = 0; c < candidates.Count; c++)
        {
            foreach (var slot in free[c])
            {
                if (!bySlot.TryGetValue(slot.StartsAt, out var ids))
                {
                    bySlot[slot.StartsAt] = ids = [];
                }
                ids.Add(candidates[c].Id); // candidates come least-loaded first
            }
        }
        var slots = bySlot.OrderBy(s => s.Key).Take(query.Limit)
            .Select(s => new RosterSlot(new Slot(s.Key, s.Key + query.Duration), [.. s.Value.Take(query.PerSlot)], s.Value.Count)).ToList();
        var named = slots.SelectMany(s => s.InterviewerIds).ToHashSet(StringComparer.Ordinal);
        return new RosterAvailability(slots, [.. candidates.Where(c => named.Contains(c.Id))], bySlot.Count > query.Limit);
    }

    public async Task<PanelAvailability> FindPanels(PanelQuery query)
    {
        var perRequirement = new List<List<RosterCandidate>>();
        var union = new Dictionary<string, RosterCandidate>(StringComparer.Ordinal);
        foreach (var skills in query.Requirements)
        {
            var matching = await Candidates(skills, query.From, query.To);
            perRequirement.Add(matching);
            foreach (var candidate in matching)
            {
                union.TryAdd(candidate.Id, candidate);
            }
        }
        if (union.Count > MaxCandidates)
        {
            throw TooMany("requirements");
        }
        var candidates = union.Values.OrderBy(c => c.Load).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var index = candidates.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var eligible = perRequirement.Select(list =>
        {
            var meets = new bool[candidates.Count];
            foreach (var candidate in list)
            {
                meets[index[candidate.Id]] = true;
            }
            return meets;
        }).ToList();
        var free = await FreeSlots(candidates, query.From, query.To, query.Duration);
        var (panels, hasMore) = PanelMatcher.Find(eligible, free, [.. candidates.Select(c => c.Id)], query.From, query.To, query.Duration,
            query.Mode, CalendarRules.Grid, query.Limit);
        var named = panels.SelectMany(p => p.Sessions).Select(s => s.InterviewerId).ToHashSet(StringComparer.Ordinal);
        return new PanelAvailability(panels, [.. candidates.Where(c => named.Contains(c.Id))], hasMore);
    }

    private async Task<List<RosterCandidate>> Candidates(IReadOnlyList<string> skills, DateTimeOffset from, DateTimeOffset to)
    {
        using var activity = SchedulerTelemetry.StartSql(queries.Database, "select", "interviewers");
        var candidates = await RosterReadModel.Candidates(queries, skills, from, to, MaxCandidates);
        return candidates.Count > MaxCandidates ? throw TooMany("skills") : candidates;
    }

    private static DomainValidationException TooMany(string field) => new(field,
        $"More than {MaxCandidates} active interviewers match; name more skills to narrow the search.", "too_many_interviewers");

    /// <summary>Each candidate's free slots, asked of its grain with at most <see cref="FanOut"/> calls in flight.</summary>
    private async Task<IReadOnlyList<Slot>[]> FreeSlots(List<RosterCandidate> candidates, DateTimeOffset from, DateTimeOffset to, TimeSpan duration)
    {
        var free = new IReadOnlyList<Slot>[candidates.Count];
        using var gate = new SemaphoreSlim(FanOut);
        await Task.WhenAll(candidates.Select(async (candidate, i) =>
        {
            await gate.WaitAsync();
            try
            {
                free[i] = await GrainFactory.GetGrain<IInterviewerGrain>(candidate.Id).Availability(from, to, duration);
            }
            catch (NotFoundException)
            {
                free[i] = []; // removed since the read model was asked
            }
            finally
            {
                gate.Release();
            }
        }));
        return free;
    }
}
