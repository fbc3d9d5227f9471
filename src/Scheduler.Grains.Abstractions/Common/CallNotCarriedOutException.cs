namespace Scheduler.Common;

/// <summary>
/// A grain call changed nothing because a grain it needed could not be reached (its silo was leaving or gone), so
/// sending the same call again is safe. The silos' call filter sends it again a few times; the API answers 503.
/// </summary>
[GenerateSerializer]
public sealed class CallNotCarriedOutException : Exception
{
    public CallNotCarriedOutException() { }

    public CallNotCarriedOutException(string message, Exception innerException) : base(message, innerException) { }
}
