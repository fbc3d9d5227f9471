namespace Scheduler.Common;

/// <summary>One enum's names, both directions, compared exactly (ordinal): see <see cref="WireNames"/>.</summary>
public sealed class WireNames<T>(params (T Value, string Name)[] entries) where T : struct, Enum
{
    private readonly (T Value, string Name)[] _entries = entries;

    /// <summary>Every value, in the table's order.</summary>
    public IReadOnlyList<T> Values { get; } = [.. entries.Select(e => e.Value)];

    /// <summary>Every name, in the table's order.</summary>
    public IReadOnlyList<string> Names { get; } = [.. entries.Select(e => e.Name)];

    public string Name(T value)
    {
        foreach (var entry in _entries)
        {
            if (EqualityComparer<T>.Default.Equals(entry.Value, value))
            {
                return entry.Name;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no wire name for this value.");
    }

    public bool TryParse(string? name, out T value)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Name, name, StringComparison.Ordinal))
            {
                value = entry.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}
