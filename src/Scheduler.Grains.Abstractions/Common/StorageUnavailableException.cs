namespace Scheduler.Common;

/// <summary>
/// The database refused a write (a read-only or full file system, an unwritable file, the configured file deleted
/// or replaced, a store that has not completed a write for seconds): nothing of the change was stored. Unlike
/// <see cref="ChangeInDoubtException"/>, sending the same change again once the storage recovers is safe, and the
/// API answers 503 <c>storage_unavailable</c> with a <c>Retry-After</c>.
/// </summary>
[GenerateSerializer]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException() { }

    public StorageUnavailableException(string message) : base(message) { }

    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
