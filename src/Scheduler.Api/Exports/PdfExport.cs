using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Scheduler.Api.Exports;

/// <summary>
/// A printable report (PDFsharp): the title, the filters applied and the zone, a table of the columns that have a PDF width,
/// and "Page n of m" on every page. A PDF is assembled in memory before it is sent, so it holds at most
/// <see cref="MaxRows"/> rows: a longer list is cut there, and the report says so under the table (CSV and XLSX have no cap).
/// </summary>
public static class PdfExport
{
    public const string ContentType = "application/pdf";
    public const int MaxRows = 10_000;

    private const double Margin = 36;
    private const double RowHeight = 12;
    private const double CellPadding = 2;

    public static async Task Write<T>(Stream output, ExportTable<T> table, IAsyncEnumerable<T> rows, CancellationToken cancellation)
    {
        ExportFontResolver.EnsureInstalled();
        var columns = table.Columns.Where(c => c.PdfWidth > 0).ToArray();
        using var document = new PdfDocument();
        document.Info.Title = table.Title;
        document.Info.Creator = "Scheduler";
        var title = new XFont(ExportFontResolver.Family, 16, XFontStyleEx.Bold);
        var bold = new XFont(ExportFontResolver.Family, 8, XFontStyleEx.Bold);
        var regular = new XFont(ExportFontResolver.Family, 8, XFontStyleEx.Regular);

        var page = new Sheet(document, columns.Select(c => c.PdfWidth).ToArray());
        page.Line(table.Title, title, 22);
        page.Line("Filters: " + (table.Filters.Count == 0 ? "none" : string.Join(", ", table.Filters)), regular, RowHeight);
        page.Line($"Times in {table.Zone.Id}. Generated {TimeZoneInfo.ConvertTime(table.GeneratedAt, table.Zone):yyyy-MM-dd HH:mm}.", regular, RowHeight * 1.5);
        // The zone of a time column goes on a second header line: the columns are narrow.
        var header = columns.Select(c => table.Header(c).Replace(" (", "\n(", StringComparison.Ordinal)).ToArray();
        page.Row(header, bold);

        var count = 0;
        var cut = false;
        await foreach (var row in rows.WithCancellation(cancellation))
        {
            if (count == MaxRows)
            {
                cut = true;
                break;
            }
            if (page.Full)
            {
                page = page.Next();
                page.Row(header, bold);
            }
            page.Row(columns.Select(c => ExportTable<T>.Text(table.Value(c, row)).ReplaceLineEndings(" ")).ToArray(), regular);
            count++;
        }
        page.Line("", regular, RowHeight / 2);
        page.Line(cut
            ? string.Create(CultureInfo.InvariantCulture, $"Only the first {MaxRows:N0} rows are shown: export as CSV or XLSX for all of them.")
            : string.Create(CultureInfo.InvariantCulture, $"{count:N0} rows."), bold, RowHeight);
        page.Dispose();

        var total = document.PageCount;
        for (var n = 0; n < total; n++)
        {
            var target = document.Pages[n];
            using var graphics = XGraphics.FromPdfPage(target, XGraphicsPdfPageOptions.Append);
            graphics.DrawString($"Page {n + 1} of {total}", regular, XBrushes.Black,
                new XRect(0, target.Height.Point - Margin + 8, target.Width.Point, RowHeight), XStringFormats.TopCenter);
        }
        using var buffer = new MemoryStream();
        document.Save(buffer, closeStream: false);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellation);
    }

    /// <summary>One page being drawn: lines of text, then table rows in columns of the given width shares.</summary>
    private sealed class Sheet : IDisposable
    {
        private readonly PdfDocument _document;
        private readonly double[] _shares;
        private readonly PdfPage _page;
        private readonly XGraphics _graphics;
        private readonly double[] _widths;
        private double _y = Margin;

        public Sheet(PdfDocument document, double[] shares)
        {
            _document = document;
            _shares = shares;
            _page = document.AddPage();
            _page.Size = PageSize.A4;
            _page.Orientation = PageOrientation.Landscape;
            _graphics = XGraphics.FromPdfPage(_page);
            var width = _page.Width.Point - 2 * Margin;
            _widths = shares.Select(s => width * s / shares.Sum()).ToArray();
        }

        public bool Full => _y + RowHeight > _page.Height.Point - Margin;

        public Sheet Next()
        {
            Dispose();
            return new Sheet(_document, _shares);
        }

        public void Line(string text, XFont font, double height)
        {
            _graphics.DrawString(text, font, XBrushes.Black, new XRect(Margin, _y, _page.Width.Point - 2 * Margin, height), XStringFormats.TopLeft);
            _y += height;
        }

        /// <summary>A row of cells, each one line (or more, for a header whose cells hold line breaks).</summary>
        public void Row(string[] cells, XFont font)
        {
            var x = Margin;
            var lines = 1;
            for (var i = 0; i < cells.Length; i++)
            {
                var cellLines = cells[i].Split('\n');
                for (var n = 0; n < cellLines.Length; n++)
                {
                    var fitted = Fit(cellLines[n], font, _widths[i] - 2 * CellPadding);
                    _graphics.DrawString(fitted, font, XBrushes.Black,
                        new XRect(x + CellPadding, _y + n * RowHeight, _widths[i] - 2 * CellPadding, RowHeight), XStringFormats.TopLeft);
                }
                lines = Math.Max(lines, cellLines.Length);
                x += _widths[i];
            }
            _y += lines * RowHeight;
            _graphics.DrawLine(XPens.LightGray, Margin, _y - 1, x, _y - 1);
        }

        public void Dispose() => _graphics.Dispose();

        // One line per row: a value too wide for its column ends with an ellipsis.
        private string Fit(string text, XFont font, double width)
        {
            if (_graphics.MeasureString(text, font).Width <= width)
            {
                return text;
            }
            var low = 0;
            var high = text.Length;
            while (low < high)
            {
                var mid = (low + high + 1) / 2;
                if (_graphics.MeasureString(text[..mid] + "…", font).Width <= width)
                {
                    low = mid;
                }
                else
                {
                    high = mid - 1;
                }
            }
            return text[..low] + "…";
        }
    }
}
