using Microsoft.AspNetCore.Hosting;

namespace Scheduler.Api.Tests.Webhooks;

/// <summary>The service with fast webhook rounds and retries; receivers on loopback are allowed unless a test says otherwise.</summary>
public class WebhookFactory : SchedulerApiFactory
{
    public WebhookFactory() : this(null) { }

    /// <summary>A host on the SQLite file in <paramref name="directory"/>, which is then not deleted (restart tests).</summary>
    internal WebhookFactory(string? directory) : base(directory) { }

    protected virtual bool AllowPrivateNetworks => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Configure(builder, AllowPrivateNetworks);
    }

    internal static void Configure(IWebHostBuilder builder, bool allowPrivateNetworks)
    {
        builder.UseSetting("Outbound:AllowPrivateNetworks", allowPrivateNetworks ? "true" : "false");
        builder.UseSetting("Email:PollSeconds", "0.05");
        builder.UseSetting("Webhooks:PollSeconds", "0.05");
        builder.UseSetting("Webhooks:FirstRetrySeconds", "0.1");
        builder.UseSetting("Webhooks:MaxRetrySeconds", "0.2");
    }
}

/// <summary>The same, with the outbound guard as in production: public addresses only.</summary>
public sealed class GuardedWebhookFactory : WebhookFactory
{
    protected override bool AllowPrivateNetworks => false;
}

/// <summary>The same on a fresh database of the test PostgreSQL server.</summary>
public sealed class PostgreSqlWebhookFactory : SchedulerApiFactory
{
    private PostgreSqlTestDatabase? _database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        WebhookFactory.Configure(builder, allowPrivateNetworks: true);
    }

    protected override void ConfigureStorage(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "PostgreSql");
        builder.UseSetting("ConnectionStrings:Scheduler", _database!.ConnectionString);
    }

    public override async Task InitializeAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync();
        await base.InitializeAsync();
    }

    protected override async Task DeleteStorageAsync()
    {
        await base.DeleteStorageAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
