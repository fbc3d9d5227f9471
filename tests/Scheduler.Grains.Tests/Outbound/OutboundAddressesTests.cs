using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Grains.Outbound;

namespace Scheduler.Grains.Tests.Outbound;

public sealed class OutboundAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("192.0.2.10")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("198.18.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:c0a8:0101::1")]
    public void IsPublic_ForbiddenAddress_ReturnsFalse(string address) => Assert.False(OutboundAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("93.184.216.34")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void IsPublic_PublicAddress_ReturnsTrue(string address) => Assert.True(OutboundAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://caldav.example.com/dav/")]
    [InlineData("http://calendar.example.org:8080/feed.ics")]
    public void CheckUrl_AbsoluteHttpUrl_IsAccepted(string url) => Assert.Null(OutboundAddresses.CheckUrl(url));

    [Theory]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.com/file.ics")]
    [InlineData("file:///etc/passwd")]
    [InlineData("webcal://example.com/feed.ics")]
    [InlineData("https://user:secret@example.com/dav/")]
    [InlineData("not a url")]
    public void CheckUrl_UnsupportedUrl_ReturnsReason(string url) => Assert.NotNull(OutboundAddresses.CheckUrl(url));
}

public sealed class OutboundHttpTests
{
    [Fact]
    public async Task Get_LoopbackWhilePrivateNetworksRefused_ThrowsRefusedBeforeConnecting()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = Client(allowPrivate: false);

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/")));

        Assert.IsType<OutboundRefusedException>(error.InnerException);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task ReadBounded_BodyPastLimit_ThrowsTooLarge()
    {
        using var content = new StreamContent(new MemoryStream(new byte[2048]));

        await Assert.ThrowsAsync<OutboundTooLargeException>(() => OutboundHttp.ReadBounded(content, 1024, CancellationToken.None));
    }

    [Fact]
    public async Task ReadBounded_AnnouncedLengthPastLimit_ThrowsWithoutReading()
    {
        using var content = new ByteArrayContent(new byte[10]);
        content.Headers.ContentLength = 1_000_000;

        await Assert.ThrowsAsync<OutboundTooLargeException>(() => OutboundHttp.ReadBounded(content, 1024, CancellationToken.None));
    }

    [Fact]
    public async Task ReadBounded_BodyWithinLimit_ReturnsIt()
    {
        using var content = new ByteArrayContent([1, 2, 3]);

        Assert.Equal([1, 2, 3], await OutboundHttp.ReadBounded(content, 1024, CancellationToken.None));
    }

    private static HttpClient Client(bool allowPrivate)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Outbound:AllowPrivateNetworks"] = allowPrivate.ToString() })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOutboundHttpClient("test", followRedirects: true);
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("test");
    }
}
