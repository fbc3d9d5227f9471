using System.Text;

namespace Scheduler.Api.Exports;

/// <summary>RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a comma, quote or line break; UTF-8.</summary>
public static class CsvExport
{
    public const string ContentType = "text/csv";

    public static async Task Write<T>(Stream output, ExportTable<T> table, IAsyncEnumerable<T> rows, CancellationToken cancellation)
    {
        // Rows are written as they are read; the writer hands its buffer on whenever it fills.
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await WriteLine(writer, table.Columns.Select(table.Header));
        await foreach (var row in rows.WithCancellation(cancellation))
        {
            await WriteLine(writer, table.Columns.Select(column => Cell(table, column, row)));
        }
        await writer.FlushAsync(cancellation);
    }

    private static string Cell<T>(ExportTable<T> table, ExportColumn<T> column, T row)
    {
        var text = ExportTable<T>.Text(table.Value(column, row));
        return column.Kind == ColumnKind.Text ? FormulaGuard.Neutralise(text) : text;
    }

    private static async Task WriteLine(StreamWriter writer, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                await writer.WriteAsync(',');
            }
            first = false;
            await writer.WriteAsync(Quote(field));
        }
        await writer.WriteLineAsync();
    }

    private static string Quote(string field) => field.AsSpan().IndexOfAny(",\"\r\n") < 0
        ? field
        : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
