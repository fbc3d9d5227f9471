using System.Net;
using System.Net.Sockets;

namespace Scheduler.Grains.Outbound;

/// <summary>Which addresses and URLs a user-supplied outbound request may reach.</summary>
public static class OutboundAddresses
{
    private static readonly (IPAddress Network, int Prefix)[] ForbiddenV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),
        (IPAddress.Parse("10.0.0.0"), 8),
        (IPAddress.Parse("100.64.0.0"), 10),
        (IPAddress.Parse("127.0.0.0"), 8),
        (IPAddress.Parse("169.254.0.0"), 16),
        (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24),
        (IPAddress.Parse("192.0.2.0"), 24),
        (IPAddress.Parse("192.88.99.0"), 24),
        (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("198.18.0.0"), 15),
        (IPAddress.Parse("198.51.100.0"), 24),
        (IPAddress.Parse("203.0.113.0"), 24),
        (IPAddress.Parse("224.0.0.0"), 4),
        (IPAddress.Parse("240.0.0.0"), 4),
    ];

    private static readonly (IPAddress Network, int Prefix)[] ForbiddenV6 =
    [
        (IPAddress.Parse("::"), 128),
        (IPAddress.Parse("::1"), 128),
        (IPAddress.Parse("100::"), 64),
        (IPAddress.Parse("2001:db8::"), 32),
        (IPAddress.Parse("2001:10::"), 28),
        (IPAddress.Parse("3fff::"), 20),
        (IPAddress.Parse("fc00::"), 7),
        (IPAddress.Parse("fe80::"), 10),
        (IPAddress.Parse("fec0::"), 10),
        (IPAddress.Parse("ff00::"), 8),
    ];

    private static readonly IPAddress Nat64 = IPAddress.Parse("64:ff9b::");
    private static readonly IPAddress SixToFour = IPAddress.Parse("2002::");

    /// <summary>True when the address is routable on the public internet.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !address.Equals(IPAddress.Broadcast) && !ForbiddenV4.Any(n => InNetwork(address, n.Network, n.Prefix));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        // Translation prefixes carry an IPv4 address inside: judge the address they lead to.
        var bytes = address.GetAddressBytes();
        if (InNetwork(address, Nat64, 96))
        {
            return IsPublic(new IPAddress(bytes[12..16]));
        }

        if (InNetwork(address, SixToFour, 16))
        {
            return IsPublic(new IPAddress(bytes[2..6]));
        }

        if (bytes[..12].All(b => b == 0))
        {
            // IPv4-compatible (deprecated) ::a.b.c.d and the unspecified/loopback forms.
            return false;
        }

        return !ForbiddenV6.Any(n => InNetwork(address, n.Network, n.Prefix));
    }

    /// <summary>Null when the URL is an absolute http(s) URL with a host and no user info; else why not.</summary>
    public static string? CheckUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "The URL must be absolute.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "The URL must use http or https.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "The URL must name a host.";
        }

        return string.IsNullOrEmpty(uri.UserInfo) ? null : "The URL must not carry a user name or password.";
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var full = prefix / 8;
        for (var i = 0; i < full; i++)
        {
            if (a[i] != n[i])
            {
                return false;
            }
        }

        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (n[full] & mask);
    }
}
