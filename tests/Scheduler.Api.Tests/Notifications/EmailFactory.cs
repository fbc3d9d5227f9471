using Microsoft.AspNetCore.Hosting;

namespace Scheduler.Api.Tests.Notifications;

/// <summary>The service with email on, sending to a real SMTP server of its own (aiosmtpd on a free loopback port).</summary>
public sealed class EmailFactory : SchedulerApiFactory
{
    public const string From = "scheduler@scheduler.test";

    public SmtpTestServer Smtp { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Enabled", "true");
        builder.UseSetting("Email:From", From);
        builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Email:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Email:PollSeconds", "0.1");
        builder.UseSetting("Email:ReminderMinutes", "1440,60");
        builder.UseSetting("Email:MaxAttempts", "3");
    }

    protected override async Task DeleteStorageAsync()
    {
        Smtp.Dispose();
        await base.DeleteStorageAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EmailCollection : ICollectionFixture<EmailFactory>
{
    public const string Name = "email";
}
