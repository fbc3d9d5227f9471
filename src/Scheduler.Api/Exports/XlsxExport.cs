using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Scheduler.Api.Exports;

/// <summary>
/// A one-sheet workbook (MiniExcel, which writes row by row): a header row, instants as date cells in the export's zone,
/// numbers as numbers, text guarded against formula injection. The workbook is a zip whose directory comes last, written
/// with synchronous calls: it is built in a temporary file (deleted on close), then copied to the response, so the
/// server's memory holds a batch of rows, never the workbook.
/// </summary>
public static class XlsxExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static async Task Write<T>(Stream output, ExportTable<T> table, IAsyncEnumerable<T> rows, CancellationToken cancellation)
    {
        var path = Path.Combine(Path.GetTempPath(), $"scheduler-export-{Guid.NewGuid():N}.xlsx");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var configuration = new OpenXmlConfiguration { FastMode = false, EnableWriteNullValueCell = false };
        await file.SaveAsAsync(Rows(table, rows, cancellation), printHeader: false, sheetName: table.Title, excelType: ExcelType.XLSX,
            configuration: configuration, cancellationToken: cancellation);
        file.Position = 0;
        await file.CopyToAsync(output, cancellation);
    }

    private static async IAsyncEnumerable<IDictionary<string, object?>> Rows<T>(ExportTable<T> table, IAsyncEnumerable<T> rows,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        // The header row is written as the first row: MiniExcel takes its own from the first row's keys, so an export
        // without rows would have none.
        var headers = table.Columns.Select(table.Header).ToArray();
        yield return headers.ToDictionary(h => h, object? (h) => h, StringComparer.Ordinal);
        await foreach (var row in rows.WithCancellation(cancellation))
        {
            var cells = new Dictionary<string, object?>(table.Columns.Count, StringComparer.Ordinal);
            foreach (var column in table.Columns)
            {
                var value = table.Value(column, row);
                cells[headers[cells.Count]] = value is string text ? FormulaGuard.Neutralise(text) : value;
            }
            yield return cells;
        }
    }
}
