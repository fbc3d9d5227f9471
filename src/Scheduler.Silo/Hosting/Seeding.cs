using System.Security.Cryptography;
using Scheduler.Common;
using Scheduler.Interviewers;
using Scheduler.Users;

namespace Scheduler.Silo.Hosting;

/// <summary>Configuration section <c>Seed</c>.</summary>
public sealed class SeedSettings
{
    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    /// <summary>Demo interviewers to create when the roster is empty.</summary>
    public int DemoData { get; set; }
}

public static class SeedingSetup
{
    public static IServiceCollection AddSchedulerSeeding(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SeedSettings>(configuration.GetSection("Seed"));
        // Registered after the silo, so it starts once the silo is up.
        services.AddHostedService<SeedData>();
        return services;
    }
}

/// <summary>Creates the bootstrap admin (and demo interviewers on request) through the grains, once the silo is up.</summary>
internal sealed partial class SeedData(
    IGrainFactory grains,
    Microsoft.Extensions.Options.IOptions<SeedSettings> options,
    IHostEnvironment environment,
    ILogger<SeedData> logger) : IHostedService
{
    private const string DevelopmentAdminEmail = "admin@scheduler.local";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        RequestContext.Clear();
        ActorContext.Set(new Actor("system", "seed"));
        await EnsureAdmin();
        if (options.Value.DemoData > 0)
        {
            await SeedDemoInterviewers(options.Value.DemoData);
        }
        RequestContext.Clear();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureAdmin()
    {
        var settings = options.Value;
        var directory = grains.GetGrain<IUserDirectoryGrain>(0);
        if (!string.IsNullOrWhiteSpace(settings.AdminEmail))
        {
            if (string.IsNullOrEmpty(settings.AdminPassword))
            {
                throw new InvalidOperationException("Seed:AdminPassword (Seed__AdminPassword) is required with Seed:AdminEmail.");
            }
            if (await directory.FindByEmail(settings.AdminEmail) is null)
            {
                await Register(directory, settings.AdminEmail, settings.AdminPassword);
                LogAdminCreated(logger, settings.AdminEmail);
            }
            return;
        }
        if (!environment.IsDevelopment() || await directory.FindByEmail(DevelopmentAdminEmail) is not null)
        {
            return;
        }
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        await Register(directory, DevelopmentAdminEmail, password);
        LogDevelopmentAdmin(logger, DevelopmentAdminEmail, password);
    }

    private static async Task Register(IUserDirectoryGrain directory, string email, string password)
    {
        try
        {
            await directory.Register(new NewUser(email, "Administrator", password, [Roles.Admin], null));
        }
        catch (ConflictException)
        {
            // Another silo created it first.
        }
        catch (DomainValidationException weak)
        {
            throw new InvalidOperationException($"Seed:AdminPassword (Seed__AdminPassword) is not usable: {weak.Message}", weak);
        }
    }

    private async Task SeedDemoInterviewers(int count)
    {
        var existing = await grains.GetGrain<IInterviewerQueryGrain>(0)
            .List(new InterviewerQuery(null, [], null, InterviewerSort.Name, false, 1, 0));
        if (existing.Total > 0)
        {
            return;
        }
        string[] first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Frances", "Niklaus"];
        string[] last = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Allen", "Wirth"];
        string[] skills = ["csharp", "dotnet", "orleans", "sql", "go", "rust", "typescript", "react", "system-design", "kubernetes"];
        string[] zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London"];
        var tasks = new List<Task>();
        for (var n = 0; n < count; n++)
        {
            var profile = new InterviewerProfile(
                $"{first[n % first.Length]} {last[n / first.Length % last.Length]}",
                $"demo{n + 1}@example.com",
                [skills[n % skills.Length], skills[(n * 7 + 3) % skills.Length]],
                n % 10 == 9 ? InterviewerStatus.Inactive : InterviewerStatus.Active,
                zones[n % zones.Length]);
            tasks.Add(grains.GetGrain<IInterviewerGrain>(Guid.CreateVersion7().ToString("N")).Create(profile));
            if (tasks.Count == 32)
            {
                await Task.WhenAll(tasks);
                tasks.Clear();
            }
        }
        await Task.WhenAll(tasks);
        LogDemoData(logger, count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the bootstrap admin {Email}")]
    private static partial void LogAdminCreated(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development admin created: {Email} / {Password} (set Seed__AdminEmail and Seed__AdminPassword to choose your own)")]
    private static partial void LogDevelopmentAdmin(ILogger logger, string email, string password);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} demo interviewers")]
    private static partial void LogDemoData(ILogger logger, int count);
}
