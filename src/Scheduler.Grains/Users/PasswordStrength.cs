using Scheduler.Common;
using Scheduler.Users;
using Zxcvbn.Matcher;

namespace Scheduler.Grains.Users;

/// <summary>
/// The password policy with the user at hand (NIST SP 800-63B, 3.1.1.2): <see cref="PasswordPolicy"/>'s rules, and no
/// common or easily guessed password. The guess is zxcvbn's estimate (dictionaries of common passwords, names, words,
/// films and series, keyboard patterns, repeats, sequences, dates, l33t spellings, and the user's own email and name):
/// a password it expects to be found in fewer than 10^8 guesses (zxcvbn-core's score under 2, its crack time under
/// 10^4 s at 10^4 guesses a second) is refused.
/// </summary>
public static class PasswordStrength
{
    public const int MinScore = 2;

    // zxcvbn's matching grows faster than the length; what follows its first 100 characters adds guesses anyway.
    private const int EstimatedLength = 100;

    // One estimator for the process: its static MatchPassword builds the word lists' dictionaries again on every call
    // (~30 MiB of large objects per password checked, seen in a heap dump at start). The matchers only read them, and
    // each call gets its own matcher for the user's words.
    private static readonly global::Zxcvbn.Zxcvbn Estimator = new();

    public static PasswordProblem? Problem(string? password, string email, string name)
    {
        if (PasswordPolicy.Problem(password, email, name) is { } problem)
        {
            return problem;
        }
        var estimate = Estimator.EvaluatePassword(password!.Length > EstimatedLength ? password[..EstimatedLength] : password, UserWords(email, name));
        return estimate.Score >= MinScore
            ? null
            : new("password_too_common", $"This password is too easy to guess: {Why(estimate.MatchSequence)}. Choose a longer, less predictable one, such as a few unrelated words.");
    }

    /// <summary>Throws the 400 a broken rule answers: <paramref name="field"/>, the rule's code and why.</summary>
    /// <exception cref="DomainValidationException">The password breaks a rule.</exception>
    public static void Require(string field, string? password, string email, string name)
    {
        if (Problem(password, email, name) is { } problem)
        {
            throw new DomainValidationException(field, problem.Message, problem.Code);
        }
    }

    // What the longest guessable part of the password is (never the part itself: the answer does not echo it).
    private static string Why(IEnumerable<global::Zxcvbn.Match> matches) =>
        matches.Where(m => m.Pattern != "bruteforce").MaxBy(m => m.Token.Length) switch
        {
            DictionaryMatch { DictionaryName: "passwords" } => "it is built on a common password",
            DictionaryMatch { DictionaryName: "user_inputs" } => "it is built on the user's own name or email",
            DictionaryMatch { DictionaryName: "male_names" or "female_names" or "surnames" } => "it is built on a common name",
            DictionaryMatch => "it is built on a common word",
            { Pattern: "spatial" } => "it follows a keyboard pattern",
            { Pattern: "repeat" } => "it repeats characters",
            { Pattern: "sequence" or "digits" } => "it is a sequence",
            { Pattern: "date" or "year" } => "it is built on a date",
            _ => "it is short for the characters it uses",
        };

    private static string[] UserWords(string email, string name)
    {
        var at = email.LastIndexOf('@');
        return [email, at > 0 ? email[..at] : email, .. name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
