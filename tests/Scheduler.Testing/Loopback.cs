using System.Net;
using System.Net.Sockets;

namespace Scheduler.Testing;

public static class Loopback
{
    /// <summary>A loopback port that was free a moment ago (another process may take it before it is bound).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
