namespace Scheduler.Common;

/// <summary>
/// A grain method that may be called again with the same arguments after a call whose outcome is unknown (its silo
/// became unavailable mid-call): a second call gives what the first gave, or does what it did not. The silos' call
/// filter retries such a call as it retries a read.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RepeatableAttribute : Attribute;
