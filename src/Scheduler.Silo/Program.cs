using Scheduler.Api;
using Scheduler.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddSchedulerSilo();
builder.AddSchedulerApi();
builder.Services.AddSchedulerHealthChecks();
builder.Services.AddSchedulerSeeding(builder.Configuration);

var app = builder.Build();

app.UseSchedulerApi();
app.MapSchedulerHealthChecks();
app.MapSchedulerApi();

app.Run();

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in the HTTP tests.</summary>
public partial class Program;
