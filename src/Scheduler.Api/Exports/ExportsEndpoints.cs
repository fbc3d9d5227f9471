using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Audit;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.Events;
using Scheduler.Api.Interviewers;
using Scheduler.Exports;

namespace Scheduler.Api.Exports;

/// <summary>
/// The lists as files (CSV, XLSX, PDF) with the lists' filters and access rules. Rows are read in batches as the file is
/// written (<see cref="ExportReads"/>), so an export of any length holds one batch in memory (PDF: see <see cref="PdfExport"/>).
/// </summary>
public static class ExportsEndpoints
{
    private static readonly string[] Formats = ["csv", "xlsx", "pdf"];

    public static RouteGroupBuilder MapExportsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/exports").WithTags("Exports").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/interviews", Interviews).WithName("ExportInterviews")
            .WithSummary("Interviews as a CSV, XLSX or PDF file (the list's filters; an interviewer exports its own)").ProducesFiles();
        group.MapGet("/interviewers", Interviewers).WithName("ExportInterviewers")
            .WithSummary("Interviewers as a CSV, XLSX or PDF file (the list's filters)").ProducesFiles();
        group.MapGroup("/").RequireAuthorization(Policies.Admin)
            .MapGet("/audit-logs", AuditLogs).WithName("ExportAuditLogs")
            .WithSummary("The audit trail as a CSV, XLSX or PDF file, newest first (the search's filters)").ProducesFiles();
        return group;
    }

    public static Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult> Interviews(
        IGrainFactory grains, HttpContext context, TimeProvider time, [AsParameters] InterviewExportQuery query, [AsParameters] ExportOptions options)
    {
        var interviewerId = query.InterviewerId;
        if (!context.User.TryScopeInterviews(ref interviewerId))
        {
            return Access.Forbidden("You can export only your own interviews.");
        }
        var validation = new RequestValidation();
        var list = new EventListQuery(query.From, query.To, query.Status, query.CandidateEmail, query.Q, null, null, query.Sort);
        var search = EventValidation.ToQuery(interviewerId, list, validation);
        if (Options(options, validation) is not { } chosen || search is null)
        {
            return validation.Problem();
        }
        var table = new ExportTable<Scheduler.Events.InterviewEvent>("interviews", "Interviews", query.Filters(), chosen.Zone, time.GetUtcNow(),
            ExportColumns.Interviews);
        return Send(context, chosen.Format, table, grains.ExportInterviews(search, context.RequestAborted));
    }

    public static Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult> Interviewers(
        IGrainFactory grains, HttpContext context, TimeProvider time, [AsParameters] InterviewerExportQuery query, [AsParameters] ExportOptions options)
    {
        var validation = new RequestValidation();
        var list = new InterviewerListQuery(null, null, query.Status, query.Skill, query.Q, query.Sort);
        var search = InterviewerValidation.ToQuery(list, validation);
        if (Options(options, validation) is not { } chosen || search is null)
        {
            return validation.Problem();
        }
        var table = new ExportTable<Scheduler.Interviewers.Interviewer>("interviewers", "Interviewers", query.Filters(), chosen.Zone, time.GetUtcNow(),
            ExportColumns.Interviewers);
        return Send(context, chosen.Format, table, grains.ExportInterviewers(search, context.RequestAborted));
    }

    public static Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult> AuditLogs(
        IGrainFactory grains, HttpContext context, TimeProvider time, [AsParameters] AuditLogExportQuery query, [AsParameters] ExportOptions options)
    {
        var validation = new RequestValidation();
        var list = new AuditLogListQuery(query.EntityType, query.EntityId, query.Actor, query.Action, query.From, query.To, null, null);
        var search = AuditLogsEndpoints.ToQuery(list, validation);
        if (Options(options, validation) is not { } chosen || search is null)
        {
            return validation.Problem();
        }
        var table = new ExportTable<Scheduler.Audit.AuditEntry>("audit-logs", "Audit log", query.Filters(), chosen.Zone, time.GetUtcNow(),
            ExportColumns.AuditLogs);
        return Send(context, chosen.Format, table, grains.ExportAuditLogs(search, context.RequestAborted));
    }

    /// <summary>The format and zone asked for, or null with the errors added to <paramref name="validation"/>.</summary>
    private static (ExportFormat Format, TimeZoneInfo Zone)? Options(ExportOptions options, RequestValidation validation)
    {
        var format = validation.OneOf("format", options.Format, Formats) ?? (options.Format is null ? "csv" : null);
        var zone = validation.TimeZone("timezone", options.Timezone, "UTC");
        if (format is null || zone is null || !validation.IsValid)
        {
            return null;
        }
        return (Enum.Parse<ExportFormat>(format, ignoreCase: true), TimeZoneInfo.FindSystemTimeZoneById(zone));
    }

    private static PushStreamHttpResult Send<T>(HttpContext context, ExportFormat format, ExportTable<T> table, IAsyncEnumerable<T> rows)
    {
        // Personal data: no cache keeps a copy.
        context.Response.Headers.CacheControl = "no-store";
        var cancellation = context.RequestAborted;
        return format switch
        {
            ExportFormat.Xlsx => TypedResults.Stream(body => XlsxExport.Write(body, table, rows, cancellation), XlsxExport.ContentType,
                table.FileName(format)),
            ExportFormat.Pdf => TypedResults.Stream(body => PdfExport.Write(body, table, rows, cancellation), PdfExport.ContentType,
                table.FileName(format)),
            _ => TypedResults.Stream(body => CsvExport.Write(body, table, rows, cancellation), $"{CsvExport.ContentType}; charset=utf-8",
                table.FileName(format)),
        };
    }

    /// <summary>Declares the three file types of a 200 (the contract names each; the body is a file, not JSON).</summary>
    private static RouteHandlerBuilder ProducesFiles(this RouteHandlerBuilder builder) =>
        builder.Produces<string>(StatusCodes.Status200OK, CsvExport.ContentType, XlsxExport.ContentType, PdfExport.ContentType);
}
