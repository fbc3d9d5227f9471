using System.Net;
using System.Net.Sockets;

namespace Scheduler.Api.Security;

/// <summary>
/// Who a request comes from, as rate limits and sign-in lockouts count it: the connection's address, or the client a
/// known proxy names in <c>X-Forwarded-For</c> (<see cref="HardeningSetup"/>). An IPv6 client is its /64 network, which
/// one subscriber usually holds whole: counting its single addresses would let it rotate through billions of them.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string Of(HttpContext context) => Key(context.Connection.RemoteIpAddress);

    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
