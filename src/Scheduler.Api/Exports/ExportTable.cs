using System.Globalization;

namespace Scheduler.Api.Exports;

public enum ExportFormat
{
    Csv,
    Xlsx,
    Pdf,
}

/// <summary>How a column's values are written: text (guarded against formula injection), an instant, or a number.</summary>
public enum ColumnKind
{
    Text,
    Instant,
    Number,
}

/// <param name="PdfWidth">The column's share of the PDF table's width; 0 leaves it out of the PDF (a report, not the data).</param>
public sealed record ExportColumn<T>(string Header, ColumnKind Kind, Func<T, object?> Value, double PdfWidth = 0);

/// <summary>What one export writes: its title, the filters it applied, the zone its times are in, and its columns.</summary>
/// <param name="Name">The file name's stem (<c>interviews</c>).</param>
public sealed record ExportTable<T>(string Name, string Title, IReadOnlyList<string> Filters, TimeZoneInfo Zone, DateTimeOffset GeneratedAt,
    IReadOnlyList<ExportColumn<T>> Columns)
{
    /// <summary>The header of a column: instants name the zone they are shown in.</summary>
    public string Header(ExportColumn<T> column) => column.Kind == ColumnKind.Instant ? $"{column.Header} ({Zone.Id})" : column.Header;

    /// <summary>A column's value for a row: an instant as the wall-clock time in <see cref="Zone"/>, text as is, numbers as numbers.</summary>
    public object? Value(ExportColumn<T> column, T row) => column.Value(row) switch
    {
        DateTimeOffset instant => TimeZoneInfo.ConvertTime(instant, Zone).DateTime,
        var other => other,
    };

    /// <summary>A value as text (CSV, PDF): instants as <c>yyyy-MM-dd HH:mm:ss</c> in the zone, numbers invariantly.</summary>
    public static string Text(object? value) => value switch
    {
        null => "",
        DateTime local => local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };

    public string FileName(ExportFormat format) =>
        $"{Name}-{TimeZoneInfo.ConvertTime(GeneratedAt, Zone):yyyy-MM-dd}.{format.ToString().ToLowerInvariant()}";
}

/// <summary>
/// Spreadsheet formula injection (OWASP, "CSV Injection"): a text cell that starts with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, a tab or a carriage return is prefixed with <c>'</c>, so a spreadsheet shows it as text instead of running it.
/// </summary>
public static class FormulaGuard
{
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
