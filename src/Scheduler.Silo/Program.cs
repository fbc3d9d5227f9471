using Scheduler.Api;
using Scheduler.Silo.Hosting;

if (args is ["probe", var url])
{
    return await HealthProbe.Run(url);
}
if (args is ["migrate", var sqlite, var postgreSql])
{
    return MigrateCommand.Run(sqlite, postgreSql, Console.Out);
}
if (args is ["migrate", ..])
{
    // Anything else after "migrate" must not fall through to starting the service on the default database.
    Console.Error.WriteLine("usage: Scheduler.Silo migrate \"Data Source=<sqlite file>\" \"Host=...;Database=...;Username=...;Password=...\"");
    return 2;
}
if (args is ["backup", var folder, .. var backupSettings])
{
    return BackupCommand.Backup(folder, backupSettings, Console.Out);
}
if (args is ["restore", var file, .. var restoreSettings])
{
    return BackupCommand.Restore(file, restoreSettings, Console.Out);
}

// Settings are read once, at start. Watching appsettings.json for changes would watch the whole content root,
// where the SQLite file lives by default, and wake a thread on every write to it.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);

builder.AddSchedulerSilo();
builder.AddSchedulerApi();
builder.Services.AddSchedulerHealthChecks();
builder.Services.AddSchedulerSeeding(builder.Configuration);

var app = builder.Build();

app.UseSchedulerApi();
app.MapSchedulerHealthChecks();
app.MapSchedulerTelemetry();
app.MapSchedulerDashboard();
app.MapSchedulerApi();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in the HTTP tests.</summary>
public partial class Program;
