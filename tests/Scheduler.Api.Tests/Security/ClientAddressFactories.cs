using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Api.Tests.Security;

/// <summary>A host whose every request arrives from <paramref name="address"/>, as from a proxy or a process on the host.</summary>
public abstract class FromAddressFactory(IPAddress address) : SchedulerApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new FromAddress(address)));
    }

    /// <summary>A request that says, in <c>X-Forwarded-For</c>, that it comes from <paramref name="client"/>.</summary>
    public static HttpRequestMessage Forwarded(HttpMethod method, string path, string client, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", client);
        return request;
    }

    private sealed class FromAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, rest) =>
            {
                context.Connection.RemoteIpAddress = address;
                return rest(context);
            });
            next(app);
        };
    }
}

/// <summary>Requests from loopback (a process on the host), no proxy configured, a small sign-in limit.</summary>
public sealed class LoopbackClientFactory() : FromAddressFactory(IPAddress.Loopback)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimiting:LoginPerMinute", "3");
    }
}

/// <summary>Behind a proxy in the known network 10.0.0.0/24: the client is the one its X-Forwarded-For names.</summary>
public sealed class ProxiedNetworkFactory() : FromAddressFactory(IPAddress.Parse("10.0.0.2"))
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders:KnownNetworks", "10.0.0.0/24");
    }
}

/// <summary>Behind a known proxy, with a limit of 60 anonymous requests a minute per client address.</summary>
public sealed class AnonymousLimitFactory() : FromAddressFactory(IPAddress.Parse("10.0.0.2"))
{
    public const int PerMinute = 60;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders:KnownProxies", "10.0.0.2");
        builder.UseSetting("RateLimiting:AnonymousPerMinute", PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
