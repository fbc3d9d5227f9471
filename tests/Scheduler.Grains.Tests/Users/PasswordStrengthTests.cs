using Scheduler.Grains.Users;

namespace Scheduler.Grains.Tests.Users;

public sealed class PasswordStrengthTests
{
    private static readonly (string Password, string? Code)[] Cases =
    [
        ("password1234", "password_too_common"),
        ("qwertyuiop12", "password_too_common"),
        ("aaaaaaaaaaaaaaaa", "password_too_common"),
        ("nanoseconds of wire on my desk", null),
        ("correct horse battery staple", null),
    ];

    [Fact]
    public async Task Problem_CheckedConcurrentlyByOneSharedEstimator_GivesEachCallerItsOwnAnswer()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
        {
            var (password, _) = Cases[i % Cases.Length];
            return PasswordStrength.Problem(password, $"user{i}@example.com", $"User Number{i}")?.Code;
        })));

        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal(Cases[i % Cases.Length].Code, answers[i]);
        }
    }
}
