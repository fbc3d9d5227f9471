using System.Text;

namespace Scheduler.Users;

/// <summary>Why a password is refused: a machine-readable <paramref name="Code"/> and a sentence for the user.</summary>
[GenerateSerializer, Immutable]
public sealed record PasswordProblem(string Code, string Message);

/// <summary>
/// The rules of NIST SP 800-63B that a password can be checked against by itself: at least 12 characters (code points),
/// not only white space, no control characters. The user grain adds the rules that need the user (its email and name)
/// and refuses common and easily guessed passwords with an estimator.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 1024;

    public static PasswordProblem? Problem(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return new("password_required", "A password is required.");
        }
        if (password.Length > MaxLength)
        {
            return new("password_too_long", $"A password has at most {MaxLength} characters.");
        }
        var length = 0;
        foreach (var rune in password.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                return new("password_control_characters", "A password cannot contain control characters (such as NUL, tab or a line break).");
            }
            length++;
        }
        if (length < MinLength)
        {
            return new("password_too_short", $"A password needs at least {MinLength} characters.");
        }
        return string.IsNullOrWhiteSpace(password) ? new("password_blank", "A password cannot be only white space.") : null;
    }

    /// <summary>
    /// <see cref="Problem(string?)"/>, and a password that contains the user's email, or its name (of 3 characters
    /// or more), in any case.
    /// </summary>
    public static PasswordProblem? Problem(string? password, string email, string name)
    {
        if (Problem(password) is { } problem)
        {
            return problem;
        }
        if (password!.Contains(email, StringComparison.OrdinalIgnoreCase))
        {
            return new("password_contains_email", "A password cannot contain the user's email.");
        }
        var trimmed = name.Trim();
        return trimmed.Length >= 3 && password.Contains(trimmed, StringComparison.OrdinalIgnoreCase)
            ? new("password_contains_name", "A password cannot contain the user's name.")
            : null;
    }
}
