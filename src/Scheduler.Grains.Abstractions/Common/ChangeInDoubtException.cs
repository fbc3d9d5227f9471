namespace Scheduler.Common;

/// <summary>
/// A grain made a change durable and then could not finish it because a grain it needed did not answer (its silo
/// was leaving, a timeout). The change is recorded with what is left to do, and the grain completes or undoes it
/// before it serves anything again. Unlike the transport error inside it, this must not be taken to mean that the
/// call never ran: it is not sent again, and the API answers 503 asking the client to look before it retries.
/// </summary>
[GenerateSerializer]
public sealed class ChangeInDoubtException : Exception
{
    public ChangeInDoubtException() { }

    public ChangeInDoubtException(string message, Exception innerException) : base(message, innerException) { }
}
