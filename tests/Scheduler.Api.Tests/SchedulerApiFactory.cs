using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Api.Tests.Contract;
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

    // The SQLite file's folder is created by the host when it opens the file (a PostgreSQL host never makes it).
    internal SchedulerApiFactory(string? directory)
    {
        _ownsDirectory = directory is null;
        DataDirectory = directory ?? Path.Combine(Path.GetTempPath(), "scheduler-api-" + Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "scheduler.db");

    /// <summary>The host's clock; tests of one class run one at a time, so a class may move it.</summary>
    public ManualClock Clock { get; } = new();

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        ConfigureStorage(builder);
        builder.UseSetting("Orleans:SiloPort", Loopback.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", Loopback.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Jwt:Secret", JwtSecret);
        builder.UseSetting("Seed:AdminEmail", AdminEmail);
        builder.UseSetting("Seed:AdminPassword", AdminPassword);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Test classes sign in many times from one "client"; the limits have tests of their own (StrictFactory).
        builder.UseSetting("RateLimiting:LoginPerMinute", "10000");
        builder.UseSetting("RateLimiting:AnonymousPerMinute", "100000");
        // Every request asks the user grain for its session stamp, so a test sees a revocation at once; the trust
        // window of production (10 s) has a test of its own (SessionStampTrustTests).
        builder.UseSetting("Jwt:SessionCheckSeconds", "0");
        // The hosts of a test run share one process and one heap: a silo's activation budget would measure all of them
        // (MemoryBudgetTests has a host with a budget of its own).
        builder.UseSetting("GrainCollection:MemoryBudgetMiB", "0");
        // The document is off by default outside Development; the tests read it, and check every response against it.
        if (OpenApiEnabled is { } enabled)
        {
            builder.UseSetting("OpenApi:Enabled", enabled);
        }
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock).AddContractValidation()
            .AddSingleton<IIncomingGrainCallFilter, InjectedFaults.Filter>());
    }

    /// <summary>The <c>OpenApi:Enabled</c> setting: on for the tests (they read the document); null leaves the default.</summary>
    protected virtual string? OpenApiEnabled => "true";

    /// <summary>Where the host keeps its data: the temporary SQLite file unless a subclass says otherwise.</summary>
    protected virtual void ConfigureStorage(IWebHostBuilder builder) =>
        builder.UseSetting("ConnectionStrings:Scheduler", $"Data Source={DatabasePath}");

    public virtual async Task InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _ = Server; // starts the host: silo, seeding, API
                break;
            }
            catch (Exception error) when (attempt < 3 && AddressInUse(error))
            {
                // A port picked as free was taken before the silo bound it; the next attempt picks others.
            }
        }
        // As a load balancer would: wait for readiness, which includes the start-up sweep of the read model.
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The host did not become ready within 30 s.");
            }
            await Task.Delay(20);
        }
    }

    private static bool AddressInUse(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
                || error.Message.Contains("already in use", StringComparison.OrdinalIgnoreCase)
                || (error is AggregateException aggregate && aggregate.InnerExceptions.Any(AddressInUse)))
            {
                return true;
            }
        }
        return false;
    }

    // A class fixture is disposed through IAsyncLifetime, a factory of a test's own through `await using`: both
    // stop the host and delete what it stored, once.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_storageDeleted)
        {
            _storageDeleted = true;
            await DeleteStorageAsync();
        }
        GC.SuppressFinalize(this);
    }

    private bool _storageDeleted;

    protected virtual Task DeleteStorageAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_ownsDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        return Task.CompletedTask;
    }

    /// <summary>A client with a bearer token of a user that has <paramref name="role"/> (created once per host).</summary>
    public async Task<HttpClient> ClientAs(string role, string? interviewerId = null)
    {
        var client = CreateClient();
        client.UseBearer(await TokenFor(role, interviewerId));
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
                await RegisterUser(email, role, password, role, interviewerId);
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
        return (await client.SignIn(email, password)).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Registers a user straight through the user directory grain (no admin, no HTTP): for tests of signing in.</summary>
    public Task<UserInfo> RegisterUser(string email, string name, string password, string role, string? interviewerId = null) =>
        Grains.GetGrain<IUserDirectoryGrain>(0).Register(new NewUser(email, name, password, [role], interviewerId));
}

/// <summary>The same host on a fresh database of the test PostgreSQL server (dropped on dispose).</summary>
public sealed class PostgreSqlApiFactory : SchedulerApiFactory
{
    private PostgreSqlTestDatabase? _database;

    /// <summary>Set before the host starts to use an existing database (the migration test); otherwise a new one.</summary>
    public string? ConnectionString { get; set; }

    protected override void ConfigureStorage(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "PostgreSql");
        builder.UseSetting("ConnectionStrings:Scheduler", ConnectionString);
    }

    public override async Task InitializeAsync()
    {
        if (ConnectionString is null)
        {
            _database = await PostgreSqlTestDatabase.CreateAsync();
            ConnectionString = _database.ConnectionString;
        }
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
