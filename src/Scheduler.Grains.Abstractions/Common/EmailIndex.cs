namespace Scheduler.Common;

/// <summary>The kinds of owner an email is unique among: an interviewer's email may also be a user's.</summary>
public enum EmailOwnerKind
{
    Interviewer,
    User,
}

public static class EmailIndex
{
    /// <summary>The form emails are compared in: trimmed, lowercased.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
