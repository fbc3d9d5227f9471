using Scheduler.Grains.Users;

namespace Scheduler.Grains.Tests.Users;

/// <summary>The session rules at their edges: the instant a refresh token expires, a second sign-in, forgotten failures.</summary>
public sealed class SessionRuleBoundaryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RefreshToken_AtExactlyItsExpiry_IsExpired_AndDroppedByTheNextSignIn()
    {
        var state = new SessionState();
        var clock = new FixedClock(Start);
        var families = new RefreshTokenFamilies(state, clock);
        var (token, _) = families.Open("user-1");
        clock.Advance(RefreshTokenFamilies.RefreshLifetime - TimeSpan.FromTicks(1));
        var (stillValid, _) = families.Open("user-1");
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(RefreshOutcome.Expired, families.Redeem("user-1", token, out var none));
        Assert.Null(none);
        families.Open("user-1");
        Assert.Equal(2, state.Families.Count);
        Assert.Equal(RefreshOutcome.Redeemed, families.Redeem("user-1", stillValid, out var next));
        Assert.NotNull(next);
    }

    [Fact]
    public void Open_SecondSignIn_KeepsTheStampOfTheFirst()
    {
        var families = new RefreshTokenFamilies(new SessionState(), new FixedClock(Start));

        var (_, first) = families.Open("user-1");
        var (_, second) = families.Open("user-1");

        // Signing in on another device must not end the first device's access tokens.
        Assert.Equal(first, second);
        Assert.Equal(first, families.Stamp);
    }

    [Fact]
    public void Open_EachSignIn_OpensAFreshFamilyOfItsUser()
    {
        var families = new RefreshTokenFamilies(new SessionState(), new FixedClock(Start));

        var (first, _) = families.Open("user-1");
        var (second, _) = families.Open("user-1");

        Assert.Matches(@"^user-1\.[0-9a-f]{32}\.", first);
        Assert.NotEqual(first.Split('.')[1], second.Split('.')[1]);
        Assert.Equal(2, families.Count);
    }

    [Fact]
    public void Lockout_KeepsNoFailuresOnceLocked_AndClearForgetsFailuresBelowTheLimit()
    {
        var locked = new SessionState();
        var lockout = new SignInLockout(locked);
        for (var n = 0; n < SignInLockout.MaxFailures; n++)
        {
            lockout.CountFailure("10.0.0.1", Start);
        }
        var belowLimit = new SessionState();
        var other = new SignInLockout(belowLimit);
        for (var n = 0; n < SignInLockout.MaxFailures - 1; n++)
        {
            other.CountFailure("10.0.0.1", Start);
        }

        other.Clear();

        Assert.True(lockout.IsLocked("10.0.0.1", Start));
        Assert.Equal(0, locked.FailuresBySource["10.0.0.1"].Count);
        Assert.Empty(belowLimit.FailedSignIns);
        Assert.Empty(belowLimit.FailuresBySource);
        Assert.Null(other.CountFailure("10.0.0.1", Start));
    }
}
