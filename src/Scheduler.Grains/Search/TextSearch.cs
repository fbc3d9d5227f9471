using System.Globalization;
using System.Text;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Search;

/// <summary>
/// The full-text part of a list query (<c>q</c>): every word of the text must begin a word of the row's searched
/// columns, case and accents ignored. SQLite asks the table's FTS5 index (<c>{table}_fts</c>), PostgreSQL the GIN index
/// of its <c>search</c> column (see the schema files).
/// </summary>
/// <param name="From">The FROM clause: the table under <c>alias</c>, joined to its index where that is a table.</param>
/// <param name="Condition">To append to the WHERE clause.</param>
/// <param name="Rank">The ORDER BY term that puts the best match first.</param>
/// <param name="Index">SQLite's FTS5 table, which holds only live rows: a search with no other filter can count and rank
/// on it alone (see <see cref="IndexCount"/> and <see cref="IndexRanked"/>). Null on PostgreSQL.</param>
public sealed record TextSearch(string From, string Condition, string Rank, string? Index = null)
{
    /// <summary>The number of matching rows, from the index alone.</summary>
    public string? IndexCount => Index is null ? null : $"SELECT count(*) FROM {Index} WHERE {Index} MATCH @match";

    /// <summary>
    /// The rows of <paramref name="table"/> (as alias <paramref name="alias"/>) of one page in best-match order: ranked
    /// on the index alone, then only the page joined to its rows.
    /// </summary>
    public string? IndexRanked(string columns, string table, string alias) => Index is null ? null : $"""
        SELECT {columns} FROM (SELECT rowid, {Rank} AS score FROM {Index} WHERE {Index} MATCH @match ORDER BY score, rowid LIMIT @limit OFFSET @offset) m
        JOIN {table} {alias} ON {alias}.rowid = m.rowid ORDER BY m.score, m.rowid
        """;

    /// <summary>Null without a text; otherwise the clauses, with their parameter added to <paramref name="parameters"/>.</summary>
    /// <param name="weights">How much a match in each searched column counts, in the index's column order (SQLite's bm25).</param>
    public static TextSearch? For(SchedulerDatabase database, string table, string alias, string? text, string weights,
        Dictionary<string, object?> parameters)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var words = Words(text);
        var plain = $"{table} {alias}";
        if (words.Count == 0)
        {
            // Nothing searchable (punctuation alone): nothing matches.
            return new TextSearch(plain, " AND 1 = 0", $"{alias}.id");
        }
        if (database.Provider == StorageProvider.PostgreSql)
        {
            // The database folds the text as it folded the rows (unaccent does more than .NET's decomposition).
            parameters["@match"] = text;
            return new TextSearch(plain, $" AND {alias}.search @@ scheduler_search_query(@match)",
                $"ts_rank({alias}.search, scheduler_search_query(@match)) DESC");
        }
        parameters["@match"] = string.Join(' ', words.Select(word => $"\"{word}\"*"));
        var index = $"{table}_fts";
        return new TextSearch($"{index} JOIN {table} {alias} ON {alias}.rowid = {index}.rowid", $" AND {index} MATCH @match",
            $"bm25({index}, {weights})", index);
    }

    /// <summary>The words of <paramref name="text"/>: runs of letters and digits, lowercased, without diacritics.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.EnclosingMark)
            {
                continue;
            }
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
