using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Scheduler.Grains.Backups;

public static class BackupRegistration
{
    /// <summary>Scheduled SQLite backups (section <c>Backup</c>, <see cref="BackupOptions"/>).</summary>
    public static IServiceCollection AddSchedulerBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BackupOptions>(configuration.GetSection("Backup"));
        services.AddSingleton<BackupService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<BackupService>());
        return services;
    }
}
