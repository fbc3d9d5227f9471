using System.Diagnostics;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Exports;

/// <summary>
/// Reads export files back with readers that are not ours: Python's csv module, Debian's python3-openpyxl (run with
/// /usr/bin/python3) and poppler's pdftotext. Also the data the export tests share: an interviewer and its interviews.
/// </summary>
internal static class ExportReaders
{
    private const string Python = "/usr/bin/python3";

    private const string CsvReader = """
        import sys, io, csv, json
        text = io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8', newline='')
        print(json.dumps(list(csv.reader(text, strict=True))))
        """;

    // Each cell as {"v": text, "date": whether openpyxl reads it as a date, "type": openpyxl's data type}.
    private const string XlsxReader = """
        import sys, io, json
        from openpyxl import load_workbook
        wb = load_workbook(io.BytesIO(sys.stdin.buffer.read()))
        ws = wb.active
        rows = []
        for row in ws.iter_rows():
            rows.append([{'v': (c.value.isoformat() if c.is_date else ('' if c.value is None else str(c.value))),
                          'date': bool(c.is_date), 'type': c.data_type} for c in row])
        print(json.dumps(rows))
        """;

    public sealed record XlsxCell(string V, bool Date, string Type);

    public static async Task<string[][]> ReadCsv(byte[] file) =>
        JsonSerializer.Deserialize<string[][]>(await Run(Python, ["-c", CsvReader], file))!;

    public static async Task<XlsxCell[][]> ReadXlsx(byte[] file) =>
        JsonSerializer.Deserialize<XlsxCell[][]>(await Run(Python, ["-c", XlsxReader], file), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    public static async Task<string> ReadPdf(byte[] file)
    {
        var path = Path.Combine(Path.GetTempPath(), $"export-test-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, file);
        try
        {
            return await Run("pdftotext", ["-layout", path, "-"], []);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> Run(string program, string[] arguments, byte[] input)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{program} did not start (the tests need python3-openpyxl and poppler-utils).");
        await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} could not read the export: {await error}");
        return await output;
    }

    /// <summary>A new interviewer (its own, so parallel tests do not see each other's rows) and the talent client that made it.</summary>
    public static async Task<(HttpClient Staff, string InterviewerId)> NewInterviewer(SchedulerApiFactory factory, string name = "Export Person")
    {
        var staff = await factory.ClientAs(Roles.Talent);
        var id = (await ApiAssert.Json(await staff.PostAsJsonAsync("/api/interviewers",
            new { name, email = $"export.{Guid.NewGuid():N}@example.com", timezone = "UTC", skills = new[] { "go" } }), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        return (staff, id);
    }

    public static async Task<string> Book(HttpClient staff, string interviewerId, DateTime start, string title, string? notes = null,
        string candidate = "Casey Candidate") =>
        (await ApiAssert.Json(await staff.PostAsJsonAsync("/api/events", new
        {
            interviewerId,
            title,
            candidateName = candidate,
            candidateEmail = "casey.candidate@example.com",
            startsAt = TestTime.Iso(start),
            endsAt = TestTime.Iso(start.AddHours(1)),
            notes,
        }), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    /// <summary>A day <paramref name="days"/> from now at 10:00 UTC.</summary>
    public static DateTime InDays(int days) => DateTime.UtcNow.Date.AddDays(days).AddHours(10);

    /// <summary>The file of a successful export, with its type and file name checked.</summary>
    public static async Task<byte[]> File200(HttpResponseMessage response, string mediaType, string fileStem, string extension)
    {
        var text = response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        Assert.Matches($"^{fileStem}-\\d{{4}}-\\d{{2}}-\\d{{2}}\\.{extension}$", disposition?.FileName?.Trim('"') ?? "");
        return await response.Content.ReadAsByteArrayAsync();
    }
}
