using PdfSharp.Fonts;

namespace Scheduler.Api.Exports;

/// <summary>
/// Every font the PDF exports ask for is DejaVu Sans, shipped inside this assembly (Fonts/, with its licence): PDFsharp's
/// core build finds no system fonts on Linux. PDFsharp takes one resolver per process, set once before the first use.
/// </summary>
internal sealed class ExportFontResolver : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lazy<ExportFontResolver> Instance = new(() =>
    {
        var resolver = new ExportFontResolver();
        GlobalFontSettings.FontResolver = resolver;
        return resolver;
    });

    /// <summary>Installs the resolver (once per process); call before drawing.</summary>
    public static void EnsureInstalled() => _ = Instance.Value;

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[] GetFont(string faceName)
    {
        using var stream = typeof(ExportFontResolver).Assembly.GetManifestResourceStream($"Scheduler.Api.Exports.Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"The font {faceName} is not embedded in {typeof(ExportFontResolver).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
