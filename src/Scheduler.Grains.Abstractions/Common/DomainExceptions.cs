namespace Scheduler.Common;

/// <summary>Base of the errors a grain reports to its caller; the API maps each to a problem response.</summary>
[GenerateSerializer]
public abstract class DomainException : Exception
{
    protected DomainException() { }

    protected DomainException(string message, string code) : base(message) => Code = code;

    /// <summary>Machine-readable reason, e.g. <c>email_taken</c>.</summary>
    [Id(0)]
    public string Code { get; init; } = "";
}

[GenerateSerializer]
public sealed class NotFoundException : DomainException
{
    public NotFoundException() { }

    public NotFoundException(string message) : base(message, "not_found") { }
}

[GenerateSerializer]
public sealed class ConflictException : DomainException
{
    public ConflictException() { }

    public ConflictException(string message, string code) : base(message, code) { }

    /// <summary>The booking that collides (<c>slot_conflict</c>).</summary>
    [Id(0)]
    public string? ConflictingEventId { get; init; }

    /// <summary>Related records, e.g. the upcoming events that block a deletion.</summary>
    [Id(1)]
    public IReadOnlyList<string>? RelatedIds { get; init; }

    /// <summary>The external busy time the slot overlaps (<c>calendar_busy</c>): only the interval, never what it is.</summary>
    [Id(2)]
    public Scheduler.Events.Slot? BusyInterval { get; init; }
}

/// <summary>The caller's expected version (<c>If-Match</c>) is not the current one.</summary>
[GenerateSerializer]
public sealed class VersionMismatchException : DomainException
{
    public VersionMismatchException() { }

    public VersionMismatchException(long expected, long actual)
        : base($"The resource is at version {actual}, not {expected}.", "version_mismatch") => CurrentVersion = actual;

    [Id(0)]
    public long CurrentVersion { get; init; }
}

/// <summary>A rule the edge cannot check by itself was broken (the edge validates shapes and limits).</summary>
[GenerateSerializer]
public sealed class DomainValidationException : DomainException
{
    public DomainValidationException() { }

    public DomainValidationException(string field, string message, string code = "invalid")
        : base(message, code) => Field = field;

    [Id(0)]
    public string Field { get; init; } = "";
}
