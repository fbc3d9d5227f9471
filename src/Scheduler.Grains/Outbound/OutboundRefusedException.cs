namespace Scheduler.Grains.Outbound;

/// <summary>An outbound request was refused before connecting (forbidden address or URL).</summary>
public sealed class OutboundRefusedException(string message) : Exception(message);

/// <summary>An outbound response was larger than allowed.</summary>
public sealed class OutboundTooLargeException(long maxBytes)
    : Exception($"The response is larger than {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
