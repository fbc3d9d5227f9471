using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Users;

namespace Scheduler.Api.Tests;

/// <summary>
/// The real <c>Program</c> (silo + API) on its own temporary SQLite file and its own free silo/gateway ports.
/// Pass a directory to start a second host on the same file (restart tests); the directory is then not deleted.
/// </summary>
public class SchedulerApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@scheduler.test";
    public const string AdminPassword = "admin-password-for-tests";
    public const string JwtSecret = "test-signing-key-0123456789-abcdefghijklmnop";

    private readonly bool _ownsDirectory;
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _tokenLock = new(1, 1);

    public SchedulerApiFactory() : this(null) { }

    internal SchedulerApiFactory(string? directory)
    {
        _ownsDirectory = directory is null;
        DataDirectory = directory ?? Path.Combine(Path.GetTempPath(), "scheduler-api-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "scheduler.db");

    /// <summary>The host's clock; tests of one class run one at a time, so a class may move it.</summary>
    public ManualClock Clock { get; } = new();

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Scheduler", $"Data Source={DatabasePath}");
        builder.UseSetting("Orleans:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Jwt:Secret", JwtSecret);
        builder.UseSetting("Seed:AdminEmail", AdminEmail);
        builder.UseSetting("Seed:AdminPassword", AdminPassword);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Test classes sign in many times from one "client"; the limits have tests of their own (StrictFactory).
        builder.UseSetting("RateLimiting:LoginPerMinute", "10000");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public Task InitializeAsync()
    {
        _ = Server; // starts the host: silo, seeding, API
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    /// <summary>A client with a bearer token of a user that has <paramref name="role"/> (created once per host).</summary>
    public async Task<HttpClient> ClientAs(string role, string? interviewerId = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenFor(role, interviewerId));
        return client;
    }

    public async Task<string> TokenFor(string role, string? interviewerId = null)
    {
        var key = role + "/" + interviewerId;
        await _tokenLock.WaitAsync();
        try
        {
            if (_tokens.TryGetValue(key, out var token))
            {
                return token;
            }
            var (email, password) = role == Roles.Admin ? (AdminEmail, AdminPassword) : ($"{role}.{Guid.NewGuid():N}@scheduler.test", "a-long-enough-password");
            if (role != Roles.Admin)
            {
                await Grains.GetGrain<IUserDirectoryGrain>(0).Register(new NewUser(email, role, password, [role], interviewerId));
            }
            token = await Login(email, password);
            _tokens[key] = token;
            return token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    public async Task<string> Login(string email, string password)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("accessToken").GetString()!;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
