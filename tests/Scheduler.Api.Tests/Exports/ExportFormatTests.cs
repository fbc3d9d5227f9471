using System.Globalization;
using Scheduler.Users;
using static Scheduler.Api.Tests.Exports.ExportReaders;

namespace Scheduler.Api.Tests.Exports;

/// <summary>Each export format, read back by an independent reader: Python's csv, openpyxl, pdftotext.</summary>
public sealed class ExportFormatTests(SchedulerApiFactory factory) : IClassFixture<SchedulerApiFactory>
{
    private const string Zone = "Europe/Berlin";
    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
    private const string Quoted = "Design, \"systems\"";
    private const string Notes = "First line\r\nsecond, with a comma";

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById(Zone);

    private async Task<(string InterviewerId, DateTime[] Starts)> ThreeInterviews()
    {
        var (staff, id) = await NewInterviewer(factory);
        DateTime[] starts = [InDays(10), InDays(11), InDays(12)];
        await Book(staff, id, starts[2], "Go screen");
        await Book(staff, id, starts[0], Formula, candidate: "@Mallory");
        await Book(staff, id, starts[1], Quoted, Notes);
        return (id, starts);
    }

    private static string Local(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, Berlin).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Csv_Interviews_Rfc4180InZone_FormulasPrefixed()
    {
        var (id, starts) = await ThreeInterviews();
        var admin = await factory.ClientAs(Roles.Admin);

        var file = await File200(await admin.GetAsync($"/api/exports/interviews?format=csv&interviewerId={id}&timezone={Zone}"),
            "text/csv", "interviews", "csv");
        var rows = await ReadCsv(file);

        var header = rows[0];
        var column = (string name) => Array.IndexOf(header, name);
        Assert.Contains($"Starts at ({Zone})", header);
        Assert.Equal(4, rows.Length);
        Assert.Equal(["'" + Formula, Quoted, "Go screen"], rows[1..].Select(r => r[column("Title")]));
        Assert.Equal("'@Mallory", rows[1][column("Candidate")]);
        Assert.Equal(Notes, rows[2][column("Notes")]);
        Assert.Equal(starts.Select(Local), rows[1..].Select(r => r[column($"Starts at ({Zone})")]));
        Assert.All(rows[1..], r => Assert.Equal(id, r[column("Interviewer id")]));
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
    }

    [Fact]
    public async Task Xlsx_Interviews_TypedDateCells_HeaderRow_FormulasPrefixed()
    {
        var (id, starts) = await ThreeInterviews();
        var admin = await factory.ClientAs(Roles.Admin);

        var file = await File200(await admin.GetAsync($"/api/exports/interviews?format=xlsx&interviewerId={id}&timezone={Zone}"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "interviews", "xlsx");
        var rows = await ReadXlsx(file);

        var header = rows[0].Select(c => c.V).ToArray();
        var column = (string name) => Array.IndexOf(header, name);
        Assert.Equal("Id", header[0]);
        Assert.Contains($"Starts at ({Zone})", header);
        Assert.Equal(4, rows.Length);
        Assert.Equal(["'" + Formula, Quoted, "Go screen"], rows[1..].Select(r => r[column("Title")].V));
        Assert.All(rows[1..], r => Assert.Equal("s", r[column("Title")].Type));
        Assert.Equal("'@Mallory", rows[1][column("Candidate")].V);
        var startCells = rows[1..].Select(r => r[column($"Starts at ({Zone})")]).ToArray();
        Assert.All(startCells, c => Assert.True(c.Date, $"'{c.V}' is not a date cell"));
        Assert.Equal(starts.Select(s => Local(s).Replace(' ', 'T')), startCells.Select(c => c.V));
        Assert.All(rows[1..], r => Assert.Equal("n", r[column("Version")].Type));
    }

    [Fact]
    public async Task Pdf_Interviews_TitleFiltersRowsAndPageNumbers()
    {
        var (staff, id) = await NewInterviewer(factory);
        // More rows than fit on one landscape A4 page.
        for (var n = 0; n < 45; n++)
        {
            await Book(staff, id, InDays(10 + n), $"Round {n:00}");
        }
        var admin = await factory.ClientAs(Roles.Admin);

        var file = await File200(await admin.GetAsync($"/api/exports/interviews?format=pdf&interviewerId={id}&status=scheduled&timezone={Zone}"),
            "application/pdf", "interviews", "pdf");
        var text = await ReadPdf(file);

        Assert.Contains("Interviews", text, StringComparison.Ordinal);
        Assert.Contains($"Filters: interviewerId={id}, status=scheduled", text, StringComparison.Ordinal);
        Assert.Contains($"Times in {Zone}", text, StringComparison.Ordinal);
        Assert.Contains($"({Zone})", text, StringComparison.Ordinal);
        Assert.Contains("Starts at", text, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 45), n => Assert.Contains($"Round {n:00}", text, StringComparison.Ordinal));
        Assert.Contains("Page 1 of 2", text, StringComparison.Ordinal);
        Assert.Contains("Page 2 of 2", text, StringComparison.Ordinal);
        Assert.Contains("45 rows.", text, StringComparison.Ordinal);
        Assert.Contains(Local(InDays(10))[..16], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interviewers_CsvXlsxPdf_FilteredBySearch()
    {
        var unique = $"Zeph{Guid.NewGuid():N}"[..12];
        await NewInterviewer(factory, $"{unique} Export");
        await NewInterviewer(factory, "Someone Else");
        var talent = await factory.ClientAs(Roles.Talent);

        var csv = await ReadCsv(await File200(await talent.GetAsync($"/api/exports/interviewers?q={unique}"), "text/csv", "interviewers", "csv"));
        var xlsx = await ReadXlsx(await File200(await talent.GetAsync($"/api/exports/interviewers?q={unique}&format=xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "interviewers", "xlsx"));
        var pdf = await ReadPdf(await File200(await talent.GetAsync($"/api/exports/interviewers?q={unique}&format=pdf"),
            "application/pdf", "interviewers", "pdf"));

        Assert.Contains("Created at (UTC)", csv[0]);
        Assert.Equal($"{unique} Export", Assert.Single(csv[1..])[1]);
        Assert.Equal($"{unique} Export", Assert.Single(xlsx[1..])[1].V);
        Assert.Contains($"Filters: q={unique}", pdf, StringComparison.Ordinal);
        Assert.Contains($"{unique} Export", pdf, StringComparison.Ordinal);
        Assert.DoesNotContain("Someone Else", pdf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditLogs_AdminExport_NewestFirstInEveryFormat()
    {
        var (_, id) = await NewInterviewer(factory);
        var admin = await factory.ClientAs(Roles.Admin);

        var csv = await ReadCsv(await File200(await admin.GetAsync($"/api/exports/audit-logs?entityId={id}"), "text/csv", "audit-logs", "csv"));
        var xlsx = await ReadXlsx(await File200(await admin.GetAsync($"/api/exports/audit-logs?entityId={id}&format=xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "audit-logs", "xlsx"));
        var pdf = await ReadPdf(await File200(await admin.GetAsync($"/api/exports/audit-logs?entityId={id}&format=pdf"),
            "application/pdf", "audit-logs", "pdf"));

        Assert.Contains("Timestamp (UTC)", csv[0]);
        var created = Assert.Single(csv[1..]);
        Assert.Equal("created", created[Array.IndexOf(csv[0], "Action")]);
        Assert.True(Assert.Single(xlsx[1..])[1].Date);
        Assert.Contains("Audit log", pdf, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 1", pdf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoRows_EveryFormat_StillHasItsHeader()
    {
        var (_, id) = await NewInterviewer(factory);
        var admin = await factory.ClientAs(Roles.Admin);
        var path = $"/api/exports/interviews?interviewerId={id}&format=";

        var csv = await ReadCsv(await File200(await admin.GetAsync(path + "csv"), "text/csv", "interviews", "csv"));
        var xlsx = await ReadXlsx(await File200(await admin.GetAsync(path + "xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "interviews", "xlsx"));
        var pdf = await ReadPdf(await File200(await admin.GetAsync(path + "pdf"), "application/pdf", "interviews", "pdf"));

        Assert.Equal("Title", Assert.Single(csv)[1]);
        Assert.Equal("Title", Assert.Single(xlsx)[1].V);
        Assert.Contains("0 rows.", pdf, StringComparison.Ordinal);
    }
}
