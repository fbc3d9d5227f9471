using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Telemetry;

/// <summary>The host with an in-memory trace exporter added to its OpenTelemetry pipeline.</summary>
public sealed class TracingFactory : SchedulerApiFactory
{
    public List<Activity> Exported { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telemetry:Tracing", "true");
        builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Exported)));
    }

    public Activity[] Snapshot()
    {
        lock (Exported)
        {
            return [.. Exported];
        }
    }
}

public sealed class TracingTests(TracingFactory factory) : IClassFixture<TracingFactory>
{
    [Fact]
    public async Task CreateInterviewer_IsOneTrace_FromHttpThroughGrainsToSql()
    {
        var client = await factory.ClientAs(Roles.Talent);

        // Other test hosts in this process trace too (activity listeners are process-wide): tag our request
        // with a trace id of its own through the W3C traceparent header, which ASP.NET Core continues.
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/interviewers")
        {
            Content = JsonContent.Create(new { name = "Traced", email = $"traced.{Guid.NewGuid():N}@example.com" }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        Activity? server = null;
        Activity[] trace = [];
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            var spans = factory.Snapshot();
            trace = [.. spans.Where(a => a.TraceId == traceId)];
            server = trace.FirstOrDefault(a => a.Kind == ActivityKind.Server && a.GetTagItem("http.request.method") as string == "POST"
                && a.GetTagItem("url.path") as string == "/api/interviewers");
            if (server is not null && trace.Any(a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)) && trace.Any(a => a.Source.Name == "Scheduler"))
            {
                break;
            }
            await Task.Delay(50);
        }

        Assert.NotNull(server);
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.DisplayName.Contains("IInterviewerGrain", StringComparison.Ordinal));
        // One commit carries the state row with its read-model, audit and claim rows: one SQL span, no second pass.
        var sql = Assert.Single(trace, a => a.Source.Name == "Scheduler" && a.DisplayName.StartsWith("upsert", StringComparison.Ordinal));
        Assert.Equal("upsert OrleansStorage", sql.DisplayName);
        Assert.Equal("sqlite", sql.GetTagItem("db.system.name"));
    }
}
